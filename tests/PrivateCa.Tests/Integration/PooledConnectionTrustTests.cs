using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PrivateCa.Integration.Internal;
using PrivateCa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PrivateCa.Tests.Integration;

/// <summary>
/// Trust withdrawn from pooled connections: after a rotation removes the anchor a pooled connection was judged under, the
/// next request is refused (no request goes out on the old connection), while a response already streaming completes.
/// </summary>
public sealed class PooledConnectionTrustTests(ITestOutputHelper output) : IDisposable
{
    private const string Host = "model.internal";
    private static readonly TimeSpan Deadline = FileWatch.Debounce + TimeSpan.FromSeconds(9);
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Pool Root");
    private readonly X509Certificate2 _otherRoot = Pki.Root("Pool Other Root");
    private readonly TaskCompletionSource _finishStream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _streamStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _connections = [];

    public void Dispose() => _dir.Dispose();

    /// <summary>"/stream" sends a first chunk, waits for the test, then a last one; "/" answers with the connection's id.</summary>
    private Task<TlsServer> Server()
    {
        var issuing = Pki.Intermediate("Pool Issuing", _root);
        return TlsServer.StartAsync(Pki.Server(issuing, Host), [issuing], respond: async context =>
        {
            lock (_connections)
            {
                _connections.Add(context.Connection.Id);
            }

            if (context.Request.Path == "/stream")
            {
                await context.Response.WriteAsync("first;");
                await context.Response.Body.FlushAsync();
                _streamStarted.TrySetResult();
                await _finishStream.Task;
                await context.Response.WriteAsync("last");
                return;
            }

            await context.Response.WriteAsync(context.Connection.Id);
        });
    }

    /// <summary>A pooling client (unlike <see cref="LoopbackClient"/>, which pools nothing) whose connections go to 127.0.0.1.</summary>
    private static HttpClient Pooling(SocketsHttpHandler handler) => new(UseLoopback(handler)) { Timeout = TimeSpan.FromSeconds(30) };

    private static SocketsHttpHandler UseLoopback(SocketsHttpHandler handler)
    {
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        };
        return handler;
    }

    private static bool Trusts(PrivateCa.Trust.Internal.TrustSnapshot snapshot, X509Certificate2 root) =>
        snapshot.Anchors.Any(a => a.Sha256Hex == root.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));

    private static void Replace(string path, string content)
    {
        File.WriteAllText(path + ".tmp", content);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    [Fact]
    public async Task AnchorRemoved_TrustedHandlerFactory_NextRequestIsRefused_AndTheStreamInFlightCompletes()
    {
        await using var server = await Server();
        var bundle = _dir.Write("ca.pem", Pki.PemOf(_root));
        using var factory = new TrustedHandlerFactory(new PrivateCaTrustOptions { BundlePaths = { bundle } });
        using var client = Pooling(factory.CreateSocketsHttpHandler());

        await RemoveAnchorWhilePooled("TrustedHandlerFactory", server, client, bundle, () => factory.CurrentSnapshot);
    }

    [Fact]
    public async Task AnchorRemoved_IHttpClientFactory_NextRequestIsRefused_LoggedAndCounted()
    {
        await using var server = await Server();
        var bundle = _dir.Write("ca.pem", Pki.PemOf(_root));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(bundle))
            .ConfigurePrimaryHttpMessageHandler(() => UseLoopback(new SocketsHttpHandler()));
        await using var provider = services.Build();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");
        var source = provider.GetRequiredService<PrivateCaTrustRegistry>().StateFor("model").Source.Load();

        await RemoveAnchorWhilePooled("IHttpClientFactory", server, client, bundle, () => source.Current);

        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Name == "ConnectionWithdrawn" && r.Message.Contains(Host, StringComparison.Ordinal));
    }

    /// <summary>One connection streams a response and a second one waits in the pool, idle; the bundle then loses the anchor
    /// both were judged under. The next request is refused without reaching the server, and the stream completes.</summary>
    private async Task RemoveAnchorWhilePooled(string path, TlsServer server, HttpClient client, string bundle, Func<PrivateCa.Trust.Internal.TrustSnapshot> current)
    {
        var url = server.Url(Host);
        var stream = client.GetStringAsync(new Uri(url, "/stream"));
        await _streamStarted.Task;
        var idle = await client.GetStringAsync(url);
        (await client.GetStringAsync(url)).Should().Be(idle, "the idle connection is pooled");

        var clock = Stopwatch.StartNew();
        Replace(bundle, Pki.PemOf(_otherRoot));
        while (Trusts(current(), _root))
        {
            clock.Elapsed.Should().BeLessThan(Deadline);
            await Task.Delay(20);
        }

        var swapped = clock.Elapsed;
        var requestsBefore = server.Requests;
        var refused = await LoopbackClient.TryGetAsync(client, url);
        var refusedAt = clock.Elapsed;
        _finishStream.SetResult();

        CertificateTrustException.Find(refused.Error ?? new InvalidOperationException("succeeded: " + refused.Body)).Should().NotBeNull(refused.Error?.ToString() ?? refused.Body);
        CertificateTrustException.Find(refused.Error!)!.Failure.Should().Be(TrustFailure.UntrustedRoot);
        server.Requests.Should().Be(requestsBefore, "no request went out on the connection judged under the removed anchor");
        (await stream).Should().Be("first;last", "the response in flight was not cut");
        output.WriteLine($"{path}: file replaced → swap applied {swapped.TotalMilliseconds:F0} ms; first request after the swap refused {(refusedAt - swapped).TotalMilliseconds:F1} ms later");
    }

    [Fact]
    public async Task AnchorAdded_PooledConnectionIsKept()
    {
        await using var server = await Server();
        var bundle = _dir.Write("ca.pem", Pki.PemOf(_root));
        using var factory = new TrustedHandlerFactory(new PrivateCaTrustOptions { BundlePaths = { bundle } });
        using var client = Pooling(factory.CreateSocketsHttpHandler());
        var url = server.Url(Host);
        var before = await client.GetStringAsync(url);

        var clock = Stopwatch.StartNew();
        Replace(bundle, Pki.PemOf(_root, _otherRoot));
        while (!Trusts(factory.CurrentSnapshot, _otherRoot))
        {
            clock.Elapsed.Should().BeLessThan(Deadline);
            await Task.Delay(20);
        }

        (await client.GetStringAsync(url)).Should().Be(before, "a change that still trusts the server keeps its connection");
    }
}
