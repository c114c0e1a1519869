using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelClient;
using PrivateCa.Tests.Infrastructure;
using PrivateCa.Tests.Samples.Grpc;

namespace PrivateCa.Tests.Samples;

/// <summary>The README's gRPC recipe: a client from AddGrpcClient with AddPrivateCaTrust, a real gRPC service over TLS, rotation.</summary>
public sealed class GrpcRecipeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AddGrpcClient_WithPrivateCaTrust_RejectsThenTrustsAfterTheBundleRotates()
    {
        var before = DemoPki.Create("Before");
        var after = DemoPki.Create("After");
        await using var server = await GrpcModelServer.StartAsync(after);
        var bundle = before.WriteBundle(_dir.Path);
        var services = new ServiceCollection();

        // README: gRPC
        services.AddGrpcClient<ModelService.ModelServiceClient>(o => o.Address = server.Address)
            .AddPrivateCaTrust(o => o.BundlePaths.Add(bundle));

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var client = provider.GetRequiredService<ModelService.ModelServiceClient>();
        var rejected = async () => await client.CompleteAsync(new CompleteRequest { Prompt = "ping" });
        var thrown = (await rejected.Should().ThrowAsync<RpcException>()).Which;
        CertificateTrustException.IsTrustRejection(thrown.Status.DebugException).Should().BeTrue(thrown.ToString());

        // The platform's rotation: the new CA's bundle replaces the old one in place; new handshakes pick it up.
        var replacement = after.WriteBundle(Directory.CreateDirectory(_dir.File("next")).FullName);
        File.Move(replacement, bundle, overwrite: true);
        var reply = await EventuallyAsync(async () => await client.CompleteAsync(new CompleteRequest { Prompt = "ping" }));

        reply.Text.Should().Be("You said: ping");
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException ex) when (DateTime.UtcNow < deadline && CertificateTrustException.IsTrustRejection(ex.Status.DebugException))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The test's gRPC model service on 127.0.0.1 (HTTP/2 over TLS, port 0).</summary>
    private sealed class GrpcModelServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private GrpcModelServer(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<GrpcModelServer> StartAsync(DemoPki pki)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddGrpc();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                l.UseHttps(h =>
                {
                    h.ServerCertificate = pki.Server;
                    h.ServerCertificateChain = [pki.Intermediate];
                });
            }));
            var app = builder.Build();
            app.MapGrpcService<EchoModel>();
            await app.StartAsync();
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
            return new GrpcModelServer(app, new Uri($"https://127.0.0.1:{port}"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class EchoModel : ModelService.ModelServiceBase
    {
        public override Task<CompleteReply> Complete(CompleteRequest request, ServerCallContext context) =>
            Task.FromResult(new CompleteReply { Text = "You said: " + request.Prompt });
    }
}
