using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PrivateCa.Benchmarks;

/// <summary>
/// The .NET side of peers/compare.sh: 'serve' runs the HTTPS server every peer connects to; 'connect' measures new
/// connections per second from .NET (PrivateCa, or default system trust with SSL_CERT_FILE) for a fixed time.
/// </summary>
public static class PeerModes
{
    public static async Task<int> ServeAsync()
    {
        BenchPki.Ensure();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        var certificate = BenchPki.LoadServer();
        var chain = new X509Certificate2Collection(BenchPki.LoadIntermediate());
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(h =>
        {
            h.ServerCertificate = certificate;
            h.ServerCertificateChain = chain;
        })));
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("ok"));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
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
