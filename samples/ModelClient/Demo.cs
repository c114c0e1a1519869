using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using PrivateCa;
using PrivateCa.ClientModel;

namespace ModelClient;

/// <summary>The sample's core: an LLM client that trusts a private CA through PrivateCa, and what a rejection looks like.</summary>
public static class Demo
{
    /// <summary>
    /// With no arguments: makes a private CA, starts a local OpenAI-compatible endpoint whose certificate chains to it,
    /// points PrivateCa at the bundle through configuration (as a deployment would), calls the endpoint through the
    /// OpenAI SDK and Microsoft.Extensions.AI, then shows the rejection of an endpoint from another CA.
    /// </summary>
    public static async Task<int> RunLocalAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        var folder = Directory.CreateTempSubdirectory("privateca-demo-");
        try
        {
            var pki = DemoPki.Create("Acme");
            var bundle = pki.WriteBundle(folder.FullName);
            await using var server = await LocalModelServer.StartAsync(pki.Server, [pki.Intermediate]);
            output.WriteLine($"Local model endpoint: {server.Endpoint} (certificate from '{pki.Intermediate.Subject}')");
            output.WriteLine($"CA bundle:            {bundle}");

            // What appsettings.json or PrivateCa__BundlePaths__0 / PrivateCa__Hosts__0 would say in a deployment.
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["PrivateCa:BundlePaths:0"] = bundle,
                ["PrivateCa:Hosts:0"] = "127.0.0.1",
            }).Build();
            await using var provider = Services(configuration.GetSection("PrivateCa"));
            var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

            await ChatAsync(http, server.Endpoint, LocalModelServer.ModelName, apiKey: null, output, cancellationToken: cancellationToken);

            var stranger = DemoPki.Create("Unknown Corp");
            await using var untrusted = await LocalModelServer.StartAsync(stranger.Server, [stranger.Intermediate]);
            output.WriteLine();
            output.WriteLine($"Now an endpoint whose certificate comes from another CA ({untrusted.Endpoint}):");
            try
            {
                await ChatAsync(http, untrusted.Endpoint, LocalModelServer.ModelName, apiKey: null, TextWriter.Null, cancellationToken: cancellationToken);
                throw new InvalidOperationException($"{untrusted.Endpoint}, whose certificate comes from another CA, was trusted: this must never happen.");
            }
            catch (Exception ex) when (FindTrustException(ex) is { } rejection)
            {
                output.WriteLine(rejection.Message);
            }

            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Talks to a real endpoint: the bundle from <paramref name="bundle"/>, else from SSL_CERT_FILE / REQUESTS_CA_BUNDLE / ….
    /// Without <paramref name="apiKey"/> no Authorization header is sent. Returns an <see cref="ExitCode"/>.
    /// </summary>
    public static async Task<int> RunRemoteAsync(Uri endpoint, string model, string? bundle, string? apiKey, TextWriter output, TextWriter error, ClientRetryPolicy? retryPolicy = null, CancellationToken cancellationToken = default)
    {
        var settings = new Dictionary<string, string?> { ["PrivateCa:Hosts:0"] = endpoint.Host };
        if (bundle is not null)
        {
            settings["PrivateCa:BundlePaths:0"] = bundle;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var provider = Services(configuration.GetSection("PrivateCa"));
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");
        try
        {
            await ChatAsync(http, endpoint, model, apiKey, output, retryPolicy, cancellationToken);
            return ExitCode.Ok;
        }
        catch (Exception ex) when (FindTrustException(ex) is { } rejection)
        {
            error.WriteLine(rejection.Message);
            if (ProxyFor(endpoint) is { } proxy)
            {
                error.WriteLine($"The connection went through the proxy {proxy} (HTTPS_PROXY/ALL_PROXY; NO_PROXY does not exempt {endpoint.Host}). "
                    + "A TLS-inspecting proxy presents certificates from its own CA: if the issuer above is that CA, add its certificate to the bundle; "
                    + $"if {endpoint.Host} should be reached directly, add it to NO_PROXY.");
            }

            return ExitCode.Untrusted;
        }
        catch (ClientResultException ex)
        {
            // Status 0: no HTTP response at all (refused, timed out, name not resolved); otherwise the endpoint's own error.
            error.WriteLine(ex.Status == 0 ? $"No answer from {endpoint}: {ex.Message}" : $"{endpoint} answered HTTP {ex.Status}: {ex.Message}");
            return ExitCode.NetworkFailure;
        }
    }

    /// <summary>The calls an LLM app makes: list models, one completion, one streamed completion, and the same through IChatClient.</summary>
    public static async Task ChatAsync(HttpClient http, Uri endpoint, string model, string? apiKey, TextWriter output, ClientRetryPolicy? retryPolicy = null, CancellationToken cancellationToken = default)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(http),

            // Retries what is transient, never a rejected certificate: the rejection reaches the caller at once.
            RetryPolicy = retryPolicy ?? TrustAwareRetryPolicy.Default,
        };
#pragma warning disable OPENAI001 // The AuthenticationPolicy constructor is the SDK's only way to send no key at all.
        var openAi = apiKey is null ? new OpenAIClient(new NoAuthenticationPolicy(), options) : new OpenAIClient(new ApiKeyCredential(apiKey), options);
#pragma warning restore OPENAI001

        var models = new List<string>();
        foreach (var available in (await openAi.GetOpenAIModelClient().GetModelsAsync(cancellationToken)).Value)
        {
            models.Add(available.Id);
        }

        output.WriteLine($"Models:                  {string.Join(", ", models)}");
        var chat = openAi.GetChatClient(model);
        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Which CA do you trust?")], cancellationToken: cancellationToken);
        output.WriteLine($"OpenAI SDK:              {completion.Content[0].Text}");

        output.Write("OpenAI SDK, streaming:   ");
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Stream this answer.")], cancellationToken: cancellationToken))
        {
            foreach (var part in update.ContentUpdate)
            {
                output.Write(part.Text);
            }
        }

        output.WriteLine();
        IChatClient chatClient = chat.AsIChatClient();
        var response = await chatClient.GetResponseAsync("Hello through Microsoft.Extensions.AI.", cancellationToken: cancellationToken);
        output.WriteLine($"Microsoft.Extensions.AI: {response.Text}");
    }

    /// <summary>The proxy the default HttpClient proxy (HTTPS_PROXY, NO_PROXY, …) sends requests to <paramref name="endpoint"/> through, if any.</summary>
    public static Uri? ProxyFor(Uri endpoint) =>
        HttpClient.DefaultProxy.GetProxy(endpoint) is { } proxy && proxy != endpoint && !HttpClient.DefaultProxy.IsBypassed(endpoint) ? proxy : null;

    /// <summary>The PrivateCa rejection inside whatever the SDK threw (ClientResultException → HttpRequestException → CertificateTrustException).</summary>
    public static CertificateTrustException? FindTrustException(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is CertificateTrustException rejection)
            {
                return rejection;
            }
        }

        return null;
    }

    private static ServiceProvider Services(IConfigurationSection section)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("model").AddPrivateCaTrust(section);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        // What a host does at start (ValidateOnStart): a bad bundle or option is reported here, naming the path, not at the first request.
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }
}
