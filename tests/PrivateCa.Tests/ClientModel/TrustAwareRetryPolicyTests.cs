using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ModelClient;
using OpenAI;
using PrivateCa.ClientModel;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.ClientModel;

/// <summary>
/// System.ClientModel clients (OpenAI SDK) retry every failed request 3 times; a trust rejection must not be one of them.
/// Handshakes are counted by PrivateCa's own validation metric.
/// </summary>
public sealed class TrustAwareRetryPolicyTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DemoPki _pki = DemoPki.Create("Retry");
    private readonly DemoPki _stranger = DemoPki.Create("Stranger");
    private LocalModelServer _untrusted = null!;
    private string _bundle = null!;

    public async Task InitializeAsync()
    {
        _bundle = _pki.WriteBundle(_dir.Path);
        _untrusted = await LocalModelServer.StartAsync(_stranger.Server, [_stranger.Intermediate]);
    }

    public async Task DisposeAsync() => await _untrusted.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CompleteChat_UntrustedServer_OneHandshakeAndTheRejectionReachesTheCaller()
    {
        await using var provider = Services();
        using var validations = Validations(provider);
        var client = new OpenAIClient(new ApiKeyCredential("key"), new OpenAIClientOptions
        {
            Endpoint = _untrusted.Endpoint,
            Transport = new HttpClientPipelineTransport(Http(provider)),
            RetryPolicy = TrustAwareRetryPolicy.Default,
        });

        var call = async () => await client.GetChatClient(LocalModelServer.ModelName).CompleteChatAsync("ping");

        var thrown = (await call.Should().ThrowAsync<Exception>()).Which;
        thrown.Should().NotBeOfType<AggregateException>();
        CertificateTrustException.IsTrustRejection(thrown).Should().BeTrue();
        Demo.FindTrustException(thrown)!.Message.Should().Contain("CN=Stranger Root CA");
        Rejections(validations).Should().Be(1);
    }

    [Fact]
    public async Task GetModels_ServiceUnavailableOnce_StillRetried()
    {
        await using var flaky = await FlakyServer.StartAsync(_pki);
        await using var provider = Services();
        var client = new OpenAIClient(new ApiKeyCredential("key"), new OpenAIClientOptions
        {
            Endpoint = flaky.Endpoint,
            Transport = new HttpClientPipelineTransport(Http(provider)),
            RetryPolicy = TrustAwareRetryPolicy.Default,
        });

        var models = await client.GetOpenAIModelClient().GetModelsAsync();

        models.Value.Should().ContainSingle().Which.Id.Should().Be("m");
        flaky.Requests.Should().Be(2);
    }

    [Fact]
    public async Task SemanticKernel_UntrustedServer_DoesNotRetryOnItsOwn()
    {
        await using var provider = Services();
        using var validations = Validations(provider);
#pragma warning disable SKEXP0010 // The endpoint overload is marked experimental.
        var kernel = Kernel.CreateBuilder()
            .AddOpenAIChatCompletion(LocalModelServer.ModelName, _untrusted.Endpoint, apiKey: "key", httpClient: Http(provider))
            .Build();
#pragma warning restore SKEXP0010

        var call = async () => await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync("ping");

        var thrown = (await call.Should().ThrowAsync<Exception>()).Which;
        CertificateTrustException.IsTrustRejection(thrown).Should().BeTrue();
        Rejections(validations).Should().Be(1, "Semantic Kernel sets ClientRetryPolicy(maxRetries: 0) when it is given an HttpClient");
    }

    private ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(_bundle));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static HttpClient Http(ServiceProvider provider) => provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

    private static MetricCollector<long> Validations(ServiceProvider provider) =>
        new(provider.GetRequiredService<IMeterFactory>(), "PrivateCa", "privateca.validations");

    private static long Rejections(MetricCollector<long> validations) =>
        validations.GetMeasurementSnapshot().Where(m => Equals(m.Tags["outcome"], "rejected")).Sum(m => m.Value);

    /// <summary>An endpoint behind the trusted CA that answers 503 (Retry-After: 0) to its first request.</summary>
    private sealed class FlakyServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;

        private FlakyServer(WebApplication app) => _app = app;

        public int Requests => Volatile.Read(ref _requests);

        public Uri Endpoint { get; private set; } = null!;

        public static async Task<FlakyServer> StartAsync(DemoPki pki)
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrelCore();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(h =>
            {
                h.ServerCertificate = pki.Server;
                h.ServerCertificateChain = [pki.Intermediate];
            })));
            var app = builder.Build();
            var server = new FlakyServer(app);
            app.Run(async context =>
            {
                if (Interlocked.Increment(ref server._requests) == 1)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "0";
                    return;
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"object":"list","data":[{"id":"m","object":"model","created":1,"owned_by":"o"}]}""");
            });
            await app.StartAsync();
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
            server.Endpoint = new Uri($"https://127.0.0.1:{port}/v1/");
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
