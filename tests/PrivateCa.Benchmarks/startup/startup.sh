#!/usr/bin/env bash
# Start-up as users feel it, side by side in one run, every figure from fresh processes (medians):
#   1. bundle load: CertificateBundleLoader.Load vs X509Certificate2Collection.ImportFromPemFile, first call in a new process;
#   2. process start to first trusted response from a local HTTPS endpoint (Kestrel on 127.0.0.1, private root in a
#      145-certificate bundle named by SSL_CERT_FILE): samples/AotConsumer published JIT, ReadyToRun and native AOT,
#      beside Python requests and Node https with the same bundle.
# Usage: bash tests/PrivateCa.Benchmarks/startup/startup.sh [runs]     (default 21; needs clang + zlib1g-dev for AOT,
#        python3 with requests, node). Do not quote figures from a busy machine.
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:-21}"
work="$(mktemp -d -t privateca-startup-XXXXXX)"
trap 'rm -rf "$work"' EXIT

project=tests/PrivateCa.Benchmarks
dotnet build "$project" -c Release >/dev/null
bench="dotnet $project/bin/Release/net10.0/PrivateCa.Benchmarks.dll"
bundle="$($bench pki)"

# One consumer, three ways to publish it. Its own artifacts folder keeps the tree's obj/bin untouched.
publish() { dotnet publish samples/AotConsumer -c Release -r linux-x64 --artifacts-path "$work/artifacts-$1" -o "$work/$1" "${@:2}" >/dev/null; }
publish jit -p:PublishAot=false --self-contained false
publish r2r -p:PublishAot=false -p:PublishReadyToRun=true --self-contained false
publish aot

coproc SERVER { $bench serve; }
read -r port <&"${SERVER[0]}"
url="https://127.0.0.1:$port/"
trap 'exec {SERVER[1]}>&-; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 "$(dirname "$0")/startup_timer.py" "$runs" "$url" "$bundle" \
  "load:PrivateCa Load (in-process ms)=$bench load-once load $bundle" \
  "load:ImportFromPemFile (in-process ms)=$bench load-once import $bundle" \
  "first:.NET JIT (AotConsumer)=env SSL_CERT_FILE=$bundle dotnet $work/jit/AotConsumer.dll $url" \
  "first:.NET ReadyToRun (AotConsumer)=env SSL_CERT_FILE=$bundle dotnet $work/r2r/AotConsumer.dll $url" \
  "first:.NET native AOT (AotConsumer)=env SSL_CERT_FILE=$bundle $work/aot/AotConsumer $url" \
  "first:Python requests=python3 -c import\ requests,sys;requests.get(sys.argv[1],verify=sys.argv[2]).raise_for_status() $url $bundle" \
  "first:Node https (ca)=node -e const\ [u,b]=process.argv.slice(1);require('https').get(u,{ca:require('fs').readFileSync(b)},r=>{r.resume();r.on('end',()=>process.exit(r.statusCode===200?0:1))}).on('error',e=>{console.error(e);process.exit(1)}) $url $bundle"
