using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// TLS session resumption through PrivateCa's handlers, against a real Kestrel server on 127.0.0.1. A resumed
/// handshake is recognised on the wire: the server sends no certificate, so far fewer bytes reach the client
/// before the validation callback runs than in a full handshake.
/// </summary>
public sealed class SessionResumptionTests : IDisposable
{
    // .NET keeps client TLS sessions per host name across the process: a name of its own keeps other tests' sessions out.
    private readonly string _host = $"resumption-{Guid.NewGuid():N}.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Resumption Root CA");
    private readonly X509Certificate2 _issuing;
    private readonly X509Certificate2 _server;
    private readonly List<(bool Trusted, long BytesFromServer)> _judged = [];

    public SessionResumptionTests()
    {
        _issuing = Pki.Intermediate("Resumption Issuing CA", _root);
        _server = Pki.Server(_issuing, _host);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SocketsHandler_SecondConnection_ResumedAndJudgedByEngine()
    {
        await using var server = await TlsServer.StartAsync(_server, [_issuing]);
        using var client = Client(_root);

        (await client.GetStringAsync(server.Url(_host))).Should().Be("ok");
        (await client.GetStringAsync(server.Url(_host))).Should().Be("ok");

        _judged.Select(j => j.Trusted).Should().Equal(true, true);
        _judged[0].BytesFromServer.Should().BeGreaterThan(_server.RawData.Length + _issuing.RawData.Length, "a full handshake carries the server's chain");
        _judged[1].BytesFromServer.Should().BeLessThan(_server.RawData.Length, "a resumed handshake carries no certificate");
    }

    [Fact]
    public async Task SocketsHandler_SessionResumedUnderTrustWithoutTheRoot_Rejected()
    {
        await using var server = await TlsServer.StartAsync(_server, [_issuing]);
        using var trusting = Client(_root);
        (await trusting.GetStringAsync(server.Url(_host))).Should().Be("ok");

        // A handler whose bundle lacks the server's root (as after a rotation) is offered the same session: resuming
        // it must not carry the earlier verdict over.
        using var other = Client(Pki.Root("Unrelated Root CA"));
        var result = await LoopbackClient.TryGetAsync(other, server.Url(_host));

        result.Error!.InnerException.Should().BeOfType<CertificateTrustException>().Which.Failure.Should().Be(TrustFailure.UntrustedRoot);
        _judged.Select(j => j.Trusted).Should().Equal(true, false);
        _judged[1].BytesFromServer.Should().BeLessThan(_server.RawData.Length, "the rejected handshake was a resumed one");
    }

    /// <summary>A client through a factory handler for a bundle holding <paramref name="root"/>; each request a new connection,
    /// whose bytes from the server are counted and noted, with the engine's verdict, when the validation callback runs.</summary>
    private HttpClient Client(X509Certificate2 root)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write($"bundle-{Guid.NewGuid():N}.pem", Pki.PemOf(root)));
        var handler = new TrustedHandlerFactory(options).CreateSocketsHttpHandler();
        var client = LoopbackClient.For(handler);
        ByteCountingStream? connection = null;
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
            connection = new ByteCountingStream(new NetworkStream(socket, ownsSocket: true));
            return connection;
        };
        var engine = handler.SslOptions.RemoteCertificateValidationCallback!;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            var bytes = connection!.BytesRead;
            try
            {
                var trusted = engine(sender, certificate, chain, errors);
                _judged.Add((trusted, bytes));
                return trusted;
            }
            catch (CertificateTrustException)
            {
                _judged.Add((false, bytes));
                throw;
            }
        };
        return client;
    }
}
