using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// TLS session resumption through PrivateCa's handlers, against a real Kestrel server on 127.0.0.1. A resumed
/// handshake is recognised from the wire: the server sends no certificate, so far fewer bytes reach the client
/// before the engine is asked than in a full handshake.
/// </summary>
public sealed class SessionResumptionTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Resumption Root CA");
    private readonly X509Certificate2 _issuing;
    private readonly X509Certificate2 _server;
    private readonly ConcurrentQueue<(TrustFailure Failure, long BytesFromServer)> _judged = new();
    private ByteCountingStream? _connection;
    private TrustSnapshot _snapshot;

    public SessionResumptionTests()
    {
        _issuing = Pki.Intermediate("Resumption Issuing CA", _root);
        _server = Pki.Server(_issuing, Host);
        _snapshot = Snapshot(_root);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SocketsHandler_SecondConnection_ResumedAndJudgedByEngine()
    {
        await using var server = await TlsServer.StartAsync(_server, [_issuing]);
        using var client = Client();

        (await client.GetStringAsync(server.Url(Host))).Should().Be("ok");
        (await client.GetStringAsync(server.Url(Host))).Should().Be("ok");

        _judged.Select(j => j.Failure).Should().Equal(TrustFailure.None, TrustFailure.None);
        _judged.First().BytesFromServer.Should().BeGreaterThan(_server.RawData.Length + _issuing.RawData.Length, "a full handshake carries the server's chain");
        _judged.Last().BytesFromServer.Should().BeLessThan(_server.RawData.Length, "a resumed handshake carries no certificate");
    }

    [Fact]
    public async Task SocketsHandler_ResumedSessionAfterTrustRemoved_Rejected()
    {
        await using var server = await TlsServer.StartAsync(_server, [_issuing]);
        using var client = Client();
        (await client.GetStringAsync(server.Url(Host))).Should().Be("ok");

        // A rotation drops the server's root: the session the client holds must not carry the old verdict over.
        Volatile.Write(ref _snapshot, Snapshot(Pki.Root("Unrelated Root CA")));
        var result = await LoopbackClient.TryGetAsync(client, server.Url(Host));

        result.Error!.InnerException.Should().BeOfType<CertificateTrustException>().Which.Failure.Should().Be(TrustFailure.UntrustedRoot);
        _judged.Select(j => j.Failure).Should().Equal(TrustFailure.None, TrustFailure.UntrustedRoot);
        _judged.Last().BytesFromServer.Should().BeLessThan(_server.RawData.Length, "the rejected handshake was a resumed one");
    }

    private TrustSnapshot Snapshot(X509Certificate2 root)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write($"bundle-{Guid.NewGuid():N}.pem", Pki.PemOf(root)));
        return TrustSnapshot.Load(options, _ => null);
    }

    /// <summary>A client through the factory's handler, connections one at a time, each counted and new per request.</summary>
    private HttpClient Client()
    {
        var engine = new TrustEngine(new PrivateCaTrustOptions { UseEnvironment = false }, () => Volatile.Read(ref _snapshot))
        {
            Observer = (_, failure, _) => _judged.Enqueue((failure, _connection!.BytesRead)),
        };
        var handler = new TrustedHandlerFactory(engine, clientCertificate: null).CreateSocketsHttpHandler();
        var client = LoopbackClient.For(handler);
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
            _connection = new ByteCountingStream(new NetworkStream(socket, ownsSocket: true));
            return _connection;
        };
        return client;
    }
}
