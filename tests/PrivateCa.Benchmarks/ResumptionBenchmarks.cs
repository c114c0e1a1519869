using BenchmarkDotNet.Attributes;

namespace PrivateCa.Benchmarks;

/// <summary>
/// New TLS connections with session resumption (the default: the client offers the session the server gave it on the
/// previous connection) beside full handshakes (<see cref="System.Net.Security.SslClientAuthenticationOptions.AllowTlsResume"/>
/// = false), for .NET's default trust and PrivateCa, with the 145-certificate merged bundle.
/// </summary>
[Config(typeof(QuickConfig))]
[MemoryDiagnoser]
public class ResumptionBenchmarks : OneClientBenchmark
{
    [GlobalSetup(Targets = [nameof(DefaultTrustResumed)])]
    public Task SetupDefaultTrustResumed() => SetupAsync(BenchClients.System, resume: true);

    [GlobalSetup(Targets = [nameof(DefaultTrustFull)])]
    public Task SetupDefaultTrustFull() => SetupAsync(BenchClients.System, resume: false);

    [GlobalSetup(Targets = [nameof(PrivateCaResumed)])]
    public Task SetupPrivateCaResumed() => SetupAsync(BenchClients.PrivateCa, resume: true);

    [GlobalSetup(Targets = [nameof(PrivateCaFull)])]
    public Task SetupPrivateCaFull() => SetupAsync(BenchClients.PrivateCa, resume: false);

    [Benchmark(Baseline = true, Description = "full handshake: .NET default trust (SSL_CERT_FILE)")]
    public Task<string> DefaultTrustFull() => Client.GetStringAsync(Url);

    [Benchmark(Description = "resumed session: .NET default trust (SSL_CERT_FILE)")]
    public Task<string> DefaultTrustResumed() => Client.GetStringAsync(Url);

    [Benchmark(Description = "full handshake: PrivateCa, 145-anchor bundle")]
    public Task<string> PrivateCaFull() => Client.GetStringAsync(Url);

    [Benchmark(Description = "resumed session: PrivateCa, 145-anchor bundle")]
    public Task<string> PrivateCaResumed() => Client.GetStringAsync(Url);

    private async Task SetupAsync(string trust, bool resume)
    {
        var handler = BenchClients.Create(trust, BenchPki.MergedBundle);
        handler.SslOptions.AllowTlsResume = resume;
        await StartAsync(handler);
    }
}
