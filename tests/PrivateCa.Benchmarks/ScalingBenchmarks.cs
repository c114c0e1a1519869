using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;

namespace PrivateCa.Benchmarks;

/// <summary>
/// New TLS connections (one request each, through HttpClient, to Kestrel on 127.0.0.1) against the number of anchors
/// in the bundle, for .NET's default trust, a plain CustomTrustStore policy and PrivateCa. The bundles hold distinct
/// generated CA roots with the server's root last (<see cref="ScalePki"/>).
/// </summary>
[Config(typeof(ScalingConfig))]
[MemoryDiagnoser]
public class ScalingBenchmarks
{
    private WebApplication _server = null!;
    private Uri _url = null!;
    private HttpClient _client = null!;

    [Params(1, 100, 1_000, 5_000)]
    public int Anchors { get; set; }

    [GlobalSetup(Target = nameof(DefaultTrust))]
    public Task SetupSystem() => SetupAsync(BenchClients.System);

    [GlobalSetup(Target = nameof(CustomTrustStore))]
    public Task SetupCustomTrustStore() => SetupAsync(BenchClients.CustomTrustStore);

    [GlobalSetup(Target = nameof(PrivateCa))]
    public Task SetupPrivateCa() => SetupAsync(BenchClients.PrivateCa);

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _client.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "new connection: .NET default trust (SSL_CERT_FILE = bundle)")]
    public Task<string> DefaultTrust() => _client.GetStringAsync(_url);

    [Benchmark(Description = "new connection: plain CustomTrustStore policy")]
    public Task<string> CustomTrustStore() => _client.GetStringAsync(_url);

    [Benchmark(Description = "new connection: PrivateCa")]
    public Task<string> PrivateCa() => _client.GetStringAsync(_url);

    private async Task SetupAsync(string trust)
    {
        var bundle = ScalePki.Bundle(Anchors);
        if (Environment.GetEnvironmentVariable("SSL_CERT_FILE") != bundle)
        {
            throw new InvalidOperationException($"this process's SSL_CERT_FILE is not {bundle}: run through ScalingConfig");
        }

        (_server, var port) = await BenchServer.StartAsync();
        _url = new Uri($"https://{BenchPki.Host}:{port}/");
        _client = BenchClients.NewConnectionEachRequest(BenchClients.Create(trust, bundle));
        await BenchClients.WarmAsync(_client, _url);
    }
}
