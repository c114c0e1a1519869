using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Builder;

namespace PrivateCa.Benchmarks;

/// <summary>
/// Requests through HttpClient to a Kestrel HTTPS server on 127.0.0.1. "New connection" benchmarks open a new TLS
/// connection per request (PooledConnectionLifetime = 0); "pooled" ones reuse one. The process runs with
/// SSL_CERT_FILE naming the merged 145-certificate bundle, so .NET's default system trust knows the private root.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ConnectionBenchmarks
{
    private WebApplication _server = null!;
    private Uri _url = null!;
    private HttpClient _systemNew = null!;
    private HttpClient _plainPolicyNew = null!;
    private HttpClient _privateCaNew = null!;
    private HttpClient _systemPooled = null!;
    private HttpClient _privateCaPooled = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        (_server, var port) = await BenchServer.StartAsync();
        _url = new Uri($"https://{BenchPki.Host}:{port}/");

        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(BenchPki.MergedBundle);
        var plain = Loopback(new SocketsHttpHandler());
        plain.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        plain.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(anchors);

        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(BenchPki.MergedBundle);
        var factory = new TrustedHandlerFactory(options);

        _systemNew = New(Loopback(new SocketsHttpHandler()));
        _plainPolicyNew = New(plain);
        _privateCaNew = New(Loopback(factory.CreateSocketsHttpHandler()));
        _systemPooled = new HttpClient(Loopback(new SocketsHttpHandler()));
        _privateCaPooled = new HttpClient(Loopback(factory.CreateSocketsHttpHandler()));
        foreach (var client in new[] { _systemNew, _plainPolicyNew, _privateCaNew, _systemPooled, _privateCaPooled })
        {
            if (await client.GetStringAsync(_url) != "ok")
            {
                throw new InvalidOperationException("the benchmark server did not answer");
            }
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        foreach (var client in new[] { _systemNew, _plainPolicyNew, _privateCaNew, _systemPooled, _privateCaPooled })
        {
            client.Dispose();
        }

        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "new connection: .NET default system trust (SSL_CERT_FILE)")]
    [BenchmarkCategory("new")]
    public Task<string> SystemTrustNewConnection() => _systemNew.GetStringAsync(_url);

    [Benchmark(Description = "new connection: plain CustomTrustStore policy, 145 anchors")]
    [BenchmarkCategory("new")]
    public Task<string> PlainPolicyNewConnection() => _plainPolicyNew.GetStringAsync(_url);

    [Benchmark(Description = "new connection: PrivateCa, 145-anchor bundle")]
    [BenchmarkCategory("new")]
    public Task<string> PrivateCaNewConnection() => _privateCaNew.GetStringAsync(_url);

    [Benchmark(Baseline = true, Description = "pooled: plain HttpClient")]
    [BenchmarkCategory("pooled")]
    public Task<string> SystemTrustPooled() => _systemPooled.GetStringAsync(_url);

    [Benchmark(Description = "pooled: PrivateCa")]
    [BenchmarkCategory("pooled")]
    public Task<string> PrivateCaPooled() => _privateCaPooled.GetStringAsync(_url);

    private static HttpClient New(SocketsHttpHandler handler)
    {
        handler.PooledConnectionLifetime = TimeSpan.Zero;
        return new HttpClient(handler);
    }

    private static SocketsHttpHandler Loopback(SocketsHttpHandler handler)
    {
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        };
        return handler;
    }
}
