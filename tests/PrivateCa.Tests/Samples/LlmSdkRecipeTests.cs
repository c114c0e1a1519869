using Anthropic;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ModelClient;
using OllamaSharp;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Samples;

/// <summary>
/// The README's recipes for SDKs beyond OpenAI's wire format (OllamaSharp, the official Anthropic SDK), run against a
/// local gateway behind a private CA, and each SDK's retries counted against a server from a CA the bundle does not hold.
/// </summary>
public sealed class LlmSdkRecipeTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DemoPki _pki = DemoPki.Create("Gateway");
    private readonly DemoPki _stranger = DemoPki.Create("Stranger");
    private LlmGatewayServer _gateway = null!;
    private LlmGatewayServer _impostor = null!;
    private ServiceProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _gateway = await LlmGatewayServer.StartAsync(_pki.Server, [_pki.Intermediate]);
        _impostor = await LlmGatewayServer.StartAsync(_stranger.Server, [_stranger.Intermediate]);
        var bundle = _pki.WriteBundle(_dir.Path);

        // README: one trusted client per endpoint, the SDKs take it as their HttpClient.
        var services = new ServiceCollection();
        services.AddHttpClient("ollama").AddPrivateCaTrust(o => o.BundlePaths.Add(bundle));
        services.AddHttpClient("anthropic").AddPrivateCaTrust(o => o.BundlePaths.Add(bundle));
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _gateway.DisposeAsync();
        await _impostor.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    private HttpClient Http(string name, Uri baseAddress)
    {
        var http = _provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        http.BaseAddress = baseAddress;
        return http;
    }

    private static OllamaApiClient Ollama(HttpClient http) => new(http, LlmGatewayServer.ModelName);

    private static AnthropicClient Anthropic(HttpClient http) => new() { HttpClient = http, BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'), ApiKey = "key" };

    [Fact]
    public async Task Recipe_OllamaSharp_ListsModelsAndStreamsAChat()
    {
        // README: OllamaSharp
        var ollama = new OllamaApiClient(Http("ollama", _gateway.BaseAddress), LlmGatewayServer.ModelName);
        var models = await ollama.ListLocalModelsAsync();
        var answer = string.Empty;
        await foreach (var token in new Chat(ollama).SendAsync("ping"))
        {
            answer += token;
        }

        models.Select(m => m.Name).Should().Contain(LlmGatewayServer.ModelName);
        answer.Trim().Should().Be(LlmGatewayServer.Answer("ping"));
    }

    [Fact]
    public async Task Recipe_OllamaSharp_AsMicrosoftExtensionsAiChatClient()
    {
        IChatClient chat = Ollama(Http("ollama", _gateway.BaseAddress));

        var response = await chat.GetResponseAsync("ping");

        response.Text.Trim().Should().Be(LlmGatewayServer.Answer("ping"));
    }

    [Fact]
    public async Task Recipe_OllamaSharp_WrongCa_OneHandshakeAndTheExplainedRejection()
    {
        var ollama = Ollama(Http("ollama", _impostor.BaseAddress));

        var call = async () => await ollama.ListLocalModelsAsync();

        // OllamaSharp does not retry: one handshake, and the rejection reaches the caller as HttpRequestException.
        var rejection = (await call.Should().ThrowAsync<HttpRequestException>()).Which.InnerException.Should().BeOfType<CertificateTrustException>().Subject;
        rejection.Failure.Should().Be(TrustFailure.UntrustedRoot);
        _impostor.Connections.Should().Be(1);
    }

    [Fact]
    public async Task Recipe_Anthropic_MessagesThroughAPrivateGateway()
    {
        // README: Anthropic (official SDK) through an Anthropic-compatible gateway
        var anthropic = new AnthropicClient
        {
            HttpClient = Http("anthropic", _gateway.BaseAddress),
            BaseUrl = _gateway.BaseAddress.ToString().TrimEnd('/'),
            ApiKey = "key",
        };
        var message = await anthropic.Messages.Create(new MessageCreateParams
        {
            Model = LlmGatewayServer.ModelName,
            MaxTokens = 256,
            Messages = [new UserMessageParam("ping")],
        });

        message.Content.Should().ContainSingle().Which.TryPickText(out var text).Should().BeTrue();
        text!.Text.Should().Be(LlmGatewayServer.Answer("ping"));
    }

    [Fact]
    public async Task Recipe_Anthropic_AsMicrosoftExtensionsAiChatClient()
    {
        IChatClient chat = Anthropic(Http("anthropic", _gateway.BaseAddress)).AsIChatClient(LlmGatewayServer.ModelName);

        var response = await chat.GetResponseAsync("ping");

        response.Text.Should().Be(LlmGatewayServer.Answer("ping"));
    }

    [Theory]
    [InlineData(null, 3)] // the SDK's default, ClientOptions.DefaultMaxRetries = 2
    [InlineData(0, 1)]
    public async Task Recipe_Anthropic_WrongCa_RetriedAsAConnectionErrorUntilMaxRetries(int? maxRetries, int expectedHandshakes)
    {
        var http = Http("anthropic", _impostor.BaseAddress);
        var anthropic = maxRetries is null
            ? Anthropic(http)
            : new AnthropicClient { HttpClient = http, BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'), ApiKey = "key", MaxRetries = maxRetries };

        var call = async () => await anthropic.Messages.Create(new MessageCreateParams
        {
            Model = LlmGatewayServer.ModelName,
            MaxTokens = 16,
            Messages = [new UserMessageParam("ping")],
        });

        var error = await call.Should().ThrowAsync<Exception>();
        error.Which.ToString().Should().Contain(nameof(CertificateTrustException)).And.Contain("is not in the 1 anchor");
        _impostor.Connections.Should().Be(expectedHandshakes, "a trust rejection is an HttpRequestException, which the SDK retries as a connection error");
    }
}
