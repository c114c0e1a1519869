using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;

namespace PrivateCa.Benchmarks;

/// <summary>The bench server and one client made for the case being run (each case runs in its own process).</summary>
public abstract class OneClientBenchmark
{
    private WebApplication _server = null!;

    protected Uri Url { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    [GlobalCleanup]
    public async Task Cleanup()
    {
        Client.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    /// <summary>Starts the server, makes a client with one new connection per request over <paramref name="handler"/>, and checks it is answered.</summary>
    protected async Task StartAsync(SocketsHttpHandler handler)
    {
        (_server, var port) = await BenchServer.StartAsync();
        Url = new Uri($"https://{BenchPki.Host}:{port}/");
        Client = BenchClients.NewConnectionEachRequest(handler);
        await BenchClients.WarmAsync(Client, Url);
    }
}
