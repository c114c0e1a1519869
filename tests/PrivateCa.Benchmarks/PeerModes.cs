using System.Diagnostics;
using System.Globalization;

namespace PrivateCa.Benchmarks;

/// <summary>
/// The .NET side of peers/compare.sh: 'serve' runs the HTTPS server every peer connects to; 'connect' measures new
/// connections per second from .NET (PrivateCa, or default system trust with SSL_CERT_FILE) for a fixed time.
/// </summary>
public static class PeerModes
{
    public static async Task<int> ServeAsync()
    {
        var (app, port) = await BenchServer.StartAsync();
        await using var _ = app;
        Console.WriteLine(port.ToString(CultureInfo.InvariantCulture));
        Console.Out.Flush();

        // Until the script closes our standard input.
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    public static async Task<int> ConnectAsync(string kind, Uri url, double seconds)
    {
        SocketsHttpHandler handler;
        if (kind == "privateca")
        {
            var options = new PrivateCaTrustOptions { UseEnvironment = false };
            options.BundlePaths.Add(BenchPki.MergedBundle);
            handler = new TrustedHandlerFactory(options).CreateSocketsHttpHandler();
        }
        else
        {
            handler = new SocketsHttpHandler();
        }

        handler.PooledConnectionLifetime = TimeSpan.Zero;
        using var client = new HttpClient(handler);
        for (var i = 0; i < 50; i++)
        {
            await client.GetStringAsync(url);
        }

        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await client.GetStringAsync(url);
            count++;
        }

        Console.WriteLine((count / clock.Elapsed.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture));
        return 0;
    }
}
