// New HTTPS connections per second from Node, against the same server and bundle as the other peers.
//   ca             https.get with { ca: <bundle> } and no agent: a new connection, and a new secure context, each time
//   securecontext  https.get with a tls.createSecureContext({ ca }) built once, and no agent
const fs = require('fs');
const https = require('https');
const tls = require('tls');

const [kind, url, bundle, seconds] = process.argv.slice(2);
const ca = fs.readFileSync(bundle);
const secureContext = tls.createSecureContext({ ca });

function once() {
  return new Promise((resolve, reject) => {
    const options = kind === 'ca' ? { ca: fs.readFileSync(bundle), agent: false } : { secureContext, agent: false };
    https.get(url, options, (response) => {
      response.resume();
      response.on('end', resolve);
    }).on('error', reject);
  });
}

(async () => {
  for (let i = 0; i < 20; i++) await once();
  let count = 0;
  const start = process.hrtime.bigint();
  const limit = Number(seconds) * 1e9;
  while (Number(process.hrtime.bigint() - start) < limit) {
    await once();
    count++;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  console.log((count / elapsed).toFixed(1));
})().catch((error) => { console.error(error); process.exit(1); });
