using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;

namespace PrivateCa.Benchmarks;

/// <summary>
/// New TLS connections with session resumption (the default: the client offers the session the server gave it on the
/// previous connection) beside full handshakes (<see cref="System.Net.Security.SslClientAuthenticationOptions.AllowTlsResume"/>
/// = false), for .NET's default trust and PrivateCa, with the 145-certificate merged bundle.
/// </summary>
[Config(typeof(QuickConfig))]
[MemoryDiagnoser]
public class ResumptionBenchmarks
{
    private WebApplication _server = null!;
    private Uri _url = null!;
    private HttpClient _client = null!;

    [GlobalSetup(Targets = [nameof(DefaultTrustResumed)])]
    public Task SetupDefaultTrustResumed() => SetupAsync(BenchClients.System, resume: true);

    [GlobalSetup(Targets = [nameof(DefaultTrustFull)])]
    public Task SetupDefaultTrustFull() => SetupAsync(BenchClients.System, resume: false);

    [GlobalSetup(Targets = [nameof(PrivateCaResumed)])]
    public Task SetupPrivateCaResumed() => SetupAsync(BenchClients.PrivateCa, resume: true);

    [GlobalSetup(Targets = [nameof(PrivateCaFull)])]
    public Task SetupPrivateCaFull() => SetupAsync(BenchClients.PrivateCa, resume: false);

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _client.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "full handshake: .NET default trust (SSL_CERT_FILE)")]
    public Task<string> DefaultTrustFull() => _client.GetStringAsync(_url);

    [Benchmark(Description = "resumed session: .NET default trust (SSL_CERT_FILE)")]
    public Task<string> DefaultTrustResumed() => _client.GetStringAsync(_url);

    [Benchmark(Description = "full handshake: PrivateCa, 145-anchor bundle")]
    public Task<string> PrivateCaFull() => _client.GetStringAsync(_url);

    [Benchmark(Description = "resumed session: PrivateCa, 145-anchor bundle")]
    public Task<string> PrivateCaResumed() => _client.GetStringAsync(_url);

    private async Task SetupAsync(string trust, bool resume)
    {
        (_server, var port) = await BenchServer.StartAsync();
        _url = new Uri($"https://{BenchPki.Host}:{port}/");
        var handler = BenchClients.Create(trust, BenchPki.MergedBundle);
        handler.SslOptions.AllowTlsResume = resume;
        _client = BenchClients.NewConnectionEachRequest(handler);
        await BenchClients.WarmAsync(_client, _url);
    }
}
