using BenchmarkDotNet.Attributes;

namespace PrivateCa.Benchmarks;

/// <summary>
/// 64 new TLS connections (one request each) spread over 1, 8 or 64 concurrent callers sharing one HttpClient, with
/// the 145-certificate merged bundle, for .NET's default trust, a plain CustomTrustStore policy and PrivateCa. The
/// time reported is per connection (OperationsPerInvoke = 64), so connections/s = 10⁹ / ns.
/// </summary>
[Config(typeof(QuickConfig))]
[MemoryDiagnoser]
public class ConcurrencyBenchmarks : OneClientBenchmark
{
    private const int Connections = 64;
    [Params(1, 8, 64)]
    public int Clients { get; set; }

    [GlobalSetup(Target = nameof(DefaultTrust))]
    public Task SetupSystem() => SetupAsync(BenchClients.System);

    [GlobalSetup(Target = nameof(CustomTrustStore))]
    public Task SetupCustomTrustStore() => SetupAsync(BenchClients.CustomTrustStore);

    [GlobalSetup(Target = nameof(PrivateCa))]
    public Task SetupPrivateCa() => SetupAsync(BenchClients.PrivateCa);

    [Benchmark(Baseline = true, OperationsPerInvoke = Connections, Description = "new connections: .NET default trust (SSL_CERT_FILE)")]
    public Task DefaultTrust() => RunAsync();

    [Benchmark(OperationsPerInvoke = Connections, Description = "new connections: plain CustomTrustStore policy, 145 anchors")]
    public Task CustomTrustStore() => RunAsync();

    [Benchmark(OperationsPerInvoke = Connections, Description = "new connections: PrivateCa, 145-anchor bundle")]
    public Task PrivateCa() => RunAsync();

    private Task RunAsync()
    {
        var workers = new Task[Clients];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = WorkAsync(Connections / Clients);
        }

        return Task.WhenAll(workers);
    }

    private async Task WorkAsync(int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            await Client.GetStringAsync(Url);
        }
    }

    private async Task SetupAsync(string trust)
    {
        await StartAsync(BenchClients.Create(trust, BenchPki.MergedBundle));
    }
}
