using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// A server cannot make the client fetch a URL of its choosing: a leaf whose authorityInfoAccess caIssuers names a URL on
/// 127.0.0.1 (standing in for an internal metadata endpoint) is never fetched — not for an in-scope host, not in
/// SystemAndCustomRoots, not through an HttpClientHandler. The URL serves the real missing intermediate, so a fetch would
/// show as a trusted chain as well as in the count.
/// </summary>
public sealed class NoDownloadTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Configurations() => new() { "every host", "Hosts", "SystemAndCustomRoots", "HttpClientHandler with Hosts", "HttpClientHandler, SystemAndCustomRoots" };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Handshake_LeafNamesAiaUrl_NothingIsFetched(string configuration)
    {
        await using var aia = new CountingHttpServer();
        var root = Pki.Root("AIA Root");
        var intermediate = Pki.Intermediate("AIA Intermediate", root);
        aia.Body = intermediate.RawData;
        var leaf = Pki.Issue(Host, intermediate, new Pki.Spec
        {
            DnsNames = [Host],
            Eku = ["1.3.6.1.5.5.7.3.1"],
            Extra = request => request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [$"http://127.0.0.1:{aia.Port}/issuer.cer"])),
        });
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write("root.pem", Pki.PemOf(root)));
        if (configuration.Contains("Hosts", StringComparison.Ordinal))
        {
            options.Hosts.Add(Host);
        }

        if (configuration.Contains("SystemAndCustomRoots", StringComparison.Ordinal))
        {
            options.Mode = TrustMode.SystemAndCustomRoots;
        }

        // A bare SslStream server built offline: Kestrel would itself fetch the missing intermediate from the AIA URL.
        await using var server = await RawTlsServer.StartAsync(leaf); // the intermediate is not sent
        var factory = new TrustedHandlerFactory(options);
        using var client = configuration.StartsWith("HttpClientHandler", StringComparison.Ordinal)
            ? new HttpClient(factory.CreateHttpClientHandler())
            : LoopbackClient.For(factory.CreateSocketsHttpHandler());
        var host = configuration.StartsWith("HttpClientHandler", StringComparison.Ordinal) ? "localhost" : Host;
        if (host != Host)
        {
            options.Hosts.Clear();
        }

        var error = await Record.ExceptionAsync(() => client.GetStringAsync(server.Url(host == Host ? Host : "127.0.0.1")));

        aia.Requests.Should().Be(0, "no path PrivateCa configures may download during a handshake");
        error.Should().NotBeNull();
        CertificateTrustException.Find(error!).Should().NotBeNull(error!.ToString());
    }

    /// <summary>Answers every request with <see cref="Body"/> and counts them, on 127.0.0.1.</summary>
    private sealed class CountingHttpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _loop;
        private int _requests;

        public CountingHttpServer()
        {
            _listener.Start();
            _loop = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public byte[] Body { get; set; } = [];

        /// <summary>Requests answered, and a connection still waiting in the backlog counts too.</summary>
        public int Requests => Volatile.Read(ref _requests) + (_listener.Pending() ? 1 : 0);

        private async Task AcceptAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync();
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[4096];
                    _ = await stream.ReadAsync(buffer);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n"));
                    await stream.WriteAsync(Body);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _loop;
        }
    }
}
