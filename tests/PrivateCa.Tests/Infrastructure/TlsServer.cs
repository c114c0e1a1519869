using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PrivateCa.Tests.Infrastructure;

/// <summary>A real Kestrel HTTPS server on 127.0.0.1, port 0, presenting the given certificate and chain.</summary>
internal sealed class TlsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The subject of the client certificate of the last request, if one was sent.</summary>
    public string? LastClientCertificate { get; private set; }

    /// <summary>The subjects of every client certificate a client presented in a handshake, in order (recorded by the TLS layer, so a
    /// connection the client abandons after the handshake is counted too).</summary>
    public IReadOnlyCollection<string> ClientCertificatesSeen => _seen;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _seen = new();

    /// <summary>How many requests reached the server.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private int _requests;

    /// <param name="certificate">The server certificate, with its key.</param>
    /// <param name="chain">Intermediates to send.</param>
    /// <param name="requireClientCertificateFrom">When set, a client certificate issued by this CA is required.</param>
    /// <param name="respond">What to answer instead of "ok" (a redirect, say).</param>
    /// <param name="askForClientCertificate">Asks every client for a certificate and accepts any (to see who shows one).</param>
    public static async Task<TlsServer> StartAsync(X509Certificate2 certificate, X509Certificate2[]? chain = null, X509Certificate2? requireClientCertificateFrom = null,
        RequestDelegate? respond = null, bool askForClientCertificate = false)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        TlsServer? server = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            ServerCertificateChain = chain is null ? null : new X509Certificate2Collection(chain),
            ClientCertificateMode = requireClientCertificateFrom is not null ? ClientCertificateMode.RequireCertificate
                : askForClientCertificate ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
            ClientCertificateValidation = (client, _, _) =>
            {
                server!._seen.Enqueue(client.Subject);
                return askForClientCertificate || (requireClientCertificateFrom is not null && client.Issuer == requireClientCertificateFrom.Subject);
            },
        })));
        var app = builder.Build();
        app.Run(async context =>
        {
            var client = await context.Connection.GetClientCertificateAsync();
            server!.LastClientCertificate = client?.Subject;
            Interlocked.Increment(ref server._requests);
            if (respond is not null)
            {
                await respond(context);
                return;
            }

            await context.Response.WriteAsync("ok");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new TlsServer(app, new Uri(address).Port);
        return server;
    }

    /// <summary>A URL on this server under any host name; <see cref="LoopbackClient"/> connects it to 127.0.0.1.</summary>
    public Uri Url(string host = "127.0.0.1") => new($"https://{host}:{Port}/");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
