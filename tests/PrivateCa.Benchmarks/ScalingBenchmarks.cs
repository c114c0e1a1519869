using BenchmarkDotNet.Attributes;

namespace PrivateCa.Benchmarks;

/// <summary>
/// New TLS connections (one request each, through HttpClient, to Kestrel on 127.0.0.1) against the number of anchors
/// in the bundle, for .NET's default trust, a plain CustomTrustStore policy and PrivateCa. The bundles hold distinct
/// generated CA roots with the server's root last (<see cref="ScalePki"/>).
/// </summary>
[Config(typeof(ScalingConfig))]
[MemoryDiagnoser]
public class ScalingBenchmarks : OneClientBenchmark
{
    [Params(1, 100, 1_000, 5_000)]
    public int Anchors { get; set; }

    [GlobalSetup(Target = nameof(DefaultTrust))]
    public Task SetupSystem() => SetupAsync(BenchClients.System);

    [GlobalSetup(Target = nameof(CustomTrustStore))]
    public Task SetupCustomTrustStore() => SetupAsync(BenchClients.CustomTrustStore);

    [GlobalSetup(Target = nameof(PrivateCa))]
    public Task SetupPrivateCa() => SetupAsync(BenchClients.PrivateCa);

    [Benchmark(Baseline = true, Description = "new connection: .NET default trust (SSL_CERT_FILE = bundle)")]
    public Task<string> DefaultTrust() => Client.GetStringAsync(Url);

    [Benchmark(Description = "new connection: plain CustomTrustStore policy")]
    public Task<string> CustomTrustStore() => Client.GetStringAsync(Url);

    [Benchmark(Description = "new connection: PrivateCa")]
    public Task<string> PrivateCa() => Client.GetStringAsync(Url);

    private async Task SetupAsync(string trust)
    {
        var bundle = ScalePki.Bundle(Anchors);
        if (Environment.GetEnvironmentVariable("SSL_CERT_FILE") != bundle)
        {
            throw new InvalidOperationException($"this process's SSL_CERT_FILE is not {bundle}: run through ScalingConfig");
        }

        await StartAsync(BenchClients.Create(trust, bundle));
    }
}
