using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Grpc.Net.Client;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ModelClient;
using OpenAI;
using PrivateCa.ClientModel;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Samples;

/// <summary>The README's SDK recipes, compiled here, and run against the local model endpoint where the SDK can talk to it.</summary>
public sealed class RecipeTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DemoPki _pki = DemoPki.Create("Recipe");
    private LocalModelServer _server = null!;
    private string _bundle = null!;

    public async Task InitializeAsync()
    {
        _bundle = _pki.WriteBundle(_dir.Path);
        _server = await LocalModelServer.StartAsync(_pki.Server, [_pki.Intermediate]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(_bundle));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task Recipe_OpenAiSdk_OverFactoryHttpClient()
    {
        await using var provider = Services();

        // README: OpenAI .NET SDK
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");
        var client = new OpenAIClient(new ApiKeyCredential("key"), new OpenAIClientOptions
        {
            Endpoint = _server.Endpoint,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = TrustAwareRetryPolicy.Default,
        });
        var answer = await client.GetChatClient(LocalModelServer.ModelName).CompleteChatAsync("ping");

        answer.Value.Content[0].Text.Should().EndWith("You said: ping");
    }

    [Fact]
    public async Task Recipe_MicrosoftExtensionsAi_IChatClient()
    {
        await using var provider = Services();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        // README: Microsoft.Extensions.AI
        IChatClient chat = new OpenAIClient(new ApiKeyCredential("key"), new OpenAIClientOptions { Endpoint = _server.Endpoint, Transport = new HttpClientPipelineTransport(http) })
            .GetChatClient(LocalModelServer.ModelName)
            .AsIChatClient();
        var response = await chat.GetResponseAsync("ping");

        response.Text.Should().EndWith("You said: ping");
    }

    [Fact]
    public async Task Recipe_SemanticKernel_OpenAiConnectorWithFactoryHttpClient()
    {
        await using var provider = Services();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        // README: Semantic Kernel
#pragma warning disable SKEXP0010 // The endpoint overload is marked experimental.
        var kernel = Kernel.CreateBuilder()
            .AddOpenAIChatCompletion(LocalModelServer.ModelName, _server.Endpoint, apiKey: "key", httpClient: http)
            .Build();
#pragma warning restore SKEXP0010
        var reply = await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync("ping");

        reply.Content.Should().EndWith("You said: ping");
    }

    [Fact]
    public async Task Recipe_AzureOpenAi_UsesTheTrustedTransport()
    {
        await using var provider = Services();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        // README: Azure.AI.OpenAI (a private gateway in front of Azure OpenAI)
        var azure = new AzureOpenAIClient(new Uri($"https://127.0.0.1:{_server.Endpoint.Port}/"), new ApiKeyCredential("key"), new AzureOpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(http),
        });
        var call = async () => await azure.GetChatClient("deployment").CompleteChatAsync("ping");

        // The local endpoint speaks OpenAI's paths, not Azure's: the call reaches it over trusted TLS and gets a 404.
        (await call.Should().ThrowAsync<ClientResultException>()).Which.Status.Should().Be(404);
    }

    [Fact]
    public void Recipe_Grpc_ChannelOverTrustedHandler()
    {
        var options = new PrivateCaTrustOptions();
        options.BundlePaths.Add(_bundle);

        // README: gRPC (Grpc.Net.Client)
        using var channel = GrpcChannel.ForAddress("https://model.internal:50051", new GrpcChannelOptions
        {
            HttpHandler = new TrustedHandlerFactory(options).CreateSocketsHttpHandler(),
        });

        channel.Target.Should().Be("model.internal:50051");
    }

    [Fact]
    public async Task Recipe_PlainHttpClient_WithoutDependencyInjection()
    {
        // README: plain HttpClient
        var options = new PrivateCaTrustOptions();
        options.BundlePaths.Add(_bundle);
        using var http = new HttpClient(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());

        (await http.GetStringAsync(new Uri(_server.Endpoint, "models"))).Should().Contain(LocalModelServer.ModelName);
    }
}
