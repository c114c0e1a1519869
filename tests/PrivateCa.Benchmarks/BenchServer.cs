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

/// <summary>The HTTPS server every benchmark and peer talks to: Kestrel on 127.0.0.1, the bench certificate and its intermediate, "ok" to every request.</summary>
public static class BenchServer
{
    public static async Task<(WebApplication App, int Port)> StartAsync()
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
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("ok"));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return (app, port);
    }
}
