using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelClient;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Samples;

/// <summary>The README's WebSocket recipe: ClientWebSocket over the factory's HttpClient, to a realtime-style endpoint behind a private CA.</summary>
public sealed class WebSocketRecipeTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DemoPki _pki = DemoPki.Create("Socket");
    private ServiceProvider _provider = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(_pki.WriteBundle(_dir.Path)));
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ConnectAsync_FactoryHttpClientAsInvoker_EchoesOverTrustedTls()
    {
        await using var server = await EchoSocketServer.StartAsync(_pki);
        var http = _provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        // README: WebSockets
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.Address, http, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Be("You said: ping");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task ConnectAsync_EndpointFromAnotherCa_WebSocketExceptionHoldsTheRejection()
    {
        await using var server = await EchoSocketServer.StartAsync(DemoPki.Create("Elsewhere"));
        var http = _provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");
        using var socket = new ClientWebSocket();

        var connect = async () => await socket.ConnectAsync(server.Address, http, CancellationToken.None);

        var thrown = (await connect.Should().ThrowAsync<WebSocketException>()).Which;
        CertificateTrustException.IsTrustRejection(thrown).Should().BeTrue(thrown.ToString());
        Demo.FindTrustException(thrown)!.Message.Should().Contain("CN=Elsewhere Root CA");
    }

    /// <summary>A realtime-style endpoint: wss://127.0.0.1:port/v1/realtime answering each text message.</summary>
    private sealed class EchoSocketServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private EchoSocketServer(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<EchoSocketServer> StartAsync(DemoPki pki)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(h =>
            {
                h.ServerCertificate = pki.Server;
                h.ServerCertificateChain = [pki.Intermediate];
            })));
            var app = builder.Build();
            app.UseWebSockets();
            app.Map("/v1/realtime", async (HttpContext context) =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[256];
                while (true)
                {
                    var message = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (message.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                        return;
                    }

                    var answer = Encoding.UTF8.GetBytes("You said: " + Encoding.UTF8.GetString(buffer, 0, message.Count));
                    await socket.SendAsync(answer, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
                }
            });
            await app.StartAsync();
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
            return new EchoSocketServer(app, new Uri($"wss://127.0.0.1:{port}/v1/realtime"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
