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

        var bundle = BenchPki.MergedBundle;
        _systemNew = BenchClients.NewConnectionEachRequest(BenchClients.Create(BenchClients.System, bundle));
        _plainPolicyNew = BenchClients.NewConnectionEachRequest(BenchClients.Create(BenchClients.CustomTrustStore, bundle));
        _privateCaNew = BenchClients.NewConnectionEachRequest(BenchClients.Create(BenchClients.PrivateCa, bundle));
        _systemPooled = new HttpClient(BenchClients.Create(BenchClients.System, bundle));
        _privateCaPooled = new HttpClient(BenchClients.Create(BenchClients.PrivateCa, bundle));
        foreach (var client in new[] { _systemNew, _plainPolicyNew, _privateCaNew, _systemPooled, _privateCaPooled })
        {
            await BenchClients.WarmAsync(client, _url);
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
}
