using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelClient;

/// <summary>
/// A tiny OpenAI-compatible model endpoint on 127.0.0.1 (Kestrel, port 0): <c>GET /v1/models</c> and
/// <c>POST /v1/chat/completions</c>, streaming included. It answers by echoing the last user message,
/// which is all a trust demo needs.
/// </summary>
public sealed class LocalModelServer : IAsyncDisposable
{
    public const string ModelName = "private-echo-1";
    private readonly WebApplication _app;
    private int _requests;
    private int _authorized;

    private LocalModelServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>Gets how many requests arrived, and how many of them carried an Authorization header.</summary>
    public (int Requests, int Authorized) Seen => (Volatile.Read(ref _requests), Volatile.Read(ref _authorized));

    /// <summary>The base address clients use, for example https://127.0.0.1:5123/v1/.</summary>
    public Uri Endpoint { get; }

    public static async Task<LocalModelServer> StartAsync(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(h =>
        {
            h.ServerCertificate = certificate;
            h.ServerCertificateChain = chain;
        })));
        var app = builder.Build();
        LocalModelServer? server = null;
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref server!._requests);
            if (context.Request.Headers.Authorization.Count > 0)
            {
                Interlocked.Increment(ref server._authorized);
            }

            return next(context);
        });
        app.UseRouting();
        app.MapGet("/v1/models", () => Results.Text(
            $$"""{"object":"list","data":[{"id":"{{ModelName}}","object":"model","created":1764288000,"owned_by":"private-ca-demo"}]}""",
            "application/json"));
        app.MapPost("/v1/chat/completions", ChatCompletionsAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        server = new LocalModelServer(app, new Uri($"https://127.0.0.1:{address.Port}/v1/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task ChatCompletionsAsync(HttpContext context)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
        var prompt = request["messages"]?.AsArray().LastOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"] switch
        {
            JsonValue text => text.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
            _ => string.Empty,
        };
        var answer = $"Hello from {ModelName} behind a private CA. You said: {prompt}";
        var model = request["model"]?.GetValue<string>() ?? ModelName;
        if (request["stream"]?.GetValue<bool>() == true)
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var word in answer.Split(' '))
            {
                await context.Response.WriteAsync($"data: {Chunk(model, new JsonObject { ["content"] = word + " " }, null)}\n\n");
                await context.Response.Body.FlushAsync();
            }

            await context.Response.WriteAsync($"data: {Chunk(model, new JsonObject(), "stop")}\n\ndata: [DONE]\n\n");
            return;
        }

        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-demo",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = prompt.Length, ["completion_tokens"] = answer.Length, ["total_tokens"] = prompt.Length + answer.Length },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(completion.ToJsonString());
    }

    private static string Chunk(string model, JsonObject delta, string? finish) => new JsonObject
    {
        ["id"] = "chatcmpl-demo",
        ["object"] = "chat.completion.chunk",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
