using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PrivateCa.Tests.Samples;

/// <summary>
/// A minimal model gateway on 127.0.0.1 (Kestrel, port 0) speaking just enough of two wire formats for the SDK recipes:
/// Ollama (<c>GET /api/tags</c>, <c>POST /api/chat</c>, streamed as NDJSON or not) and Anthropic's Messages API
/// (<c>POST /v1/messages</c>). It echoes the last user message. It counts TCP connections, so a test can see how many
/// TLS handshakes an SDK's retries attempt against a server it must refuse.
/// </summary>
internal sealed class LlmGatewayServer : IAsyncDisposable
{
    public const string ModelName = "private-echo-1";
    private readonly WebApplication _app;
    private int _connections;

    private LlmGatewayServer(WebApplication app) => _app = app;

    /// <summary>The base address, for example https://127.0.0.1:5123/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>TCP connections accepted so far: one per TLS handshake attempted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static string Answer(string prompt) => $"Hello from {ModelName} behind a private CA. You said: {prompt}";

    public static async Task<LlmGatewayServer> StartAsync(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        LlmGatewayServer? server = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref server!._connections);
                return next(connection);
            });
            listen.UseHttps(https =>
            {
                https.ServerCertificate = certificate;
                https.ServerCertificateChain = chain;
            });
        }));
        var app = builder.Build();
        server = new LlmGatewayServer(app);
        app.UseRouting();
        app.MapGet("/api/tags", () => Results.Text(
            $$"""{"models":[{"name":"{{ModelName}}","model":"{{ModelName}}","modified_at":"2026-11-28T16:00:00Z","size":1,"digest":"0"}]}""",
            "application/json"));
        app.MapPost("/api/chat", OllamaChatAsync);
        app.MapPost("/v1/messages", AnthropicMessagesAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        server.BaseAddress = new Uri($"https://127.0.0.1:{address.Port}/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string LastUserText(JsonNode request) =>
        request["messages"]?.AsArray().LastOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"] switch
        {
            JsonValue text => text.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
            _ => string.Empty,
        };

    private static async Task OllamaChatAsync(HttpContext context)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
        var answer = Answer(LastUserText(request));
        var stream = request["stream"]?.GetValue<bool>() ?? true;
        context.Response.ContentType = stream ? "application/x-ndjson" : "application/json";
        if (stream)
        {
            foreach (var word in answer.Split(' '))
            {
                await context.Response.WriteAsync(OllamaChunk(word + " ", done: false).ToJsonString() + "\n");
                await context.Response.Body.FlushAsync();
            }

            await context.Response.WriteAsync(OllamaChunk(string.Empty, done: true).ToJsonString() + "\n");
        }
        else
        {
            await context.Response.WriteAsync(OllamaChunk(answer, done: true).ToJsonString());
        }
    }

    private static JsonObject OllamaChunk(string content, bool done)
    {
        var chunk = new JsonObject
        {
            ["model"] = ModelName,
            ["created_at"] = "2026-11-28T16:00:00Z",
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["done"] = done,
        };
        if (done)
        {
            chunk["done_reason"] = "stop";
            chunk["eval_count"] = 1;
            chunk["prompt_eval_count"] = 1;
        }

        return chunk;
    }

    private static async Task AnthropicMessagesAsync(HttpContext context)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
        var message = new JsonObject
        {
            ["id"] = "msg_private_echo",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = request["model"]?.GetValue<string>() ?? ModelName,
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = Answer(LastUserText(request)) }),
            ["stop_reason"] = "end_turn",
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = 1, ["output_tokens"] = 1 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(message.ToJsonString());
    }
}
