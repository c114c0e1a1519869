using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

/// <summary>PrivateCa configures the primary handler the client builder has, in any order of calls, and never drops trust silently.</summary>
public sealed class CompositionTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Composed Root");
    private readonly X509Certificate2 _issuing;

    public CompositionTests()
    {
        _issuing = Pki.Intermediate("Composed Issuing", _root);
    }

    public void Dispose() => _dir.Dispose();

    private string Bundle() => _dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(_root));

    private async Task<TlsServer> Server(X509Certificate2? issuing = null) =>
        await TlsServer.StartAsync(Pki.Server(issuing ?? _issuing, Host), [issuing ?? _issuing]);

    /// <summary>A user's own ConnectCallback: connects to 127.0.0.1 and counts the calls.</summary>
    private sealed class CountingConnector
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken token)
        {
            Interlocked.Increment(ref _calls);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), token);
            return new NetworkStream(socket, ownsSocket: true);
        }

        public SocketsHttpHandler Handler() => new() { ConnectCallback = ConnectAsync, PooledConnectionLifetime = TimeSpan.Zero };
    }

    private static async Task<(string? Body, Exception? Error)> Get(IServiceProvider provider, TlsServer server, string client = "model") =>
        await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient(client), server.Url(Host));

    [Fact]
    public async Task AddPrivateCaTrust_AfterUseSocketsHttpHandler_KeepsTheUsersConnectCallbackAndTrusts()
    {
        await using var server = await Server();
        await using var stranger = await Server(Pki.Intermediate("Stranger Issuing", Pki.Root("Stranger Root")));
        var connector = new CountingConnector();
        var services = ServiceHarness.Services();
        services.AddHttpClient("model")
            .UseSocketsHttpHandler((handler, _) =>
            {
                handler.ConnectCallback = connector.ConnectAsync;
                handler.PooledConnectionLifetime = TimeSpan.Zero;
            })
            .AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle()));
        await using var provider = services.Build();

        (await Get(provider, server)).Body.Should().Be("ok");
        (await Get(provider, stranger)).Error!.InnerException.Should().BeOfType<CertificateTrustException>();
        connector.Calls.Should().Be(2);
    }

    [Fact]
    public async Task ConfigurePrimaryHttpMessageHandler_AfterAddPrivateCaTrust_KeepsTrust()
    {
        await using var server = await Server();
        await using var stranger = await Server(Pki.Intermediate("Late Stranger Issuing", Pki.Root("Late Stranger Root")));
        var connector = new CountingConnector();
        var services = ServiceHarness.Services();
        services.AddHttpClient("model")
            .AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle()))
            .ConfigurePrimaryHttpMessageHandler(connector.Handler);
        await using var provider = services.Build();

        (await Get(provider, server)).Body.Should().Be("ok");
        var rejected = await Get(provider, stranger);

        rejected.Error!.InnerException.Should().BeOfType<CertificateTrustException>("the handler set after AddPrivateCaTrust is configured too");
        connector.Calls.Should().Be(2);
    }

    [Fact]
    public async Task ConfigurePrimaryHttpMessageHandler_UserHttpClientHandler_GetsTrustAndKeepsItsSettings()
    {
        await using var server = await Server();
        HttpClientHandler? supplied = null;
        var services = ServiceHarness.Services();
        services.AddHttpClient("model")
            .ConfigurePrimaryHttpMessageHandler(() => supplied = new HttpClientHandler { UseCookies = false, MaxConnectionsPerServer = 7 })
            .AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle()));
        await using var provider = services.Build();

        provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("model");

        supplied.Should().NotBeNull();
        supplied!.ServerCertificateCustomValidationCallback.Should().NotBeNull();
        supplied.UseCookies.Should().BeFalse();
        supplied.MaxConnectionsPerServer.Should().Be(7);

        // HttpClientHandler has no ConnectCallback, so it is exercised on 127.0.0.1 by its address: out of Hosts' way (Hosts empty).
        using var direct = new HttpClient(provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("model"), disposeHandler: false);
        var result = await LoopbackClient.TryGetAsync(direct, server.Url("127.0.0.1"));
        result.Error!.InnerException.Should().BeOfType<CertificateTrustException>()
            .Which.Failure.Should().Be(TrustFailure.NameMismatch, "the chain is trusted through the bundle; only the name differs");
    }

    [Fact]
    public void CreateClient_PrimaryHandlerOfAnotherKind_FailsNamingPrivateCaAndTheClient()
    {
        var services = ServiceHarness.Services();
        services.AddHttpClient("model")
            .AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle()))
            .ConfigurePrimaryHttpMessageHandler(() => new UnknownHandler());
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        act.Should().Throw<InvalidOperationException>().WithMessage(
            "PrivateCa cannot apply trust to HttpClient 'model': its primary handler is a *UnknownHandler*SocketsHttpHandler or an HttpClientHandler*");
    }

    [Fact]
    public void CreateClient_PrimaryHandlerWithItsOwnChainPolicy_FailsInsteadOfTakingItsVerdictAsTheSystems()
    {
        // A user policy that allows unknown roots would otherwise pass for "the system trusts it" in SystemAndCustomRoots.
        var services = ServiceHarness.Services();
        services.AddHttpClient("model")
            .AddPrivateCaTrust(o =>
            {
                o.BundlePaths.Add(Bundle());
                o.Mode = TrustMode.SystemAndCustomRoots;
            })
            .UseSocketsHttpHandler((handler, _) => handler.SslOptions.CertificateChainPolicy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
            {
                VerificationFlags = System.Security.Cryptography.X509Certificates.X509VerificationFlags.AllowUnknownCertificateAuthority,
            });
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        act.Should().Throw<InvalidOperationException>().WithMessage("PrivateCa cannot apply trust to HttpClient 'model': its primary handler already sets SocketsHttpHandler.SslOptions.CertificateChainPolicy*");
    }

    [Fact]
    public void CreateClient_PrimaryHandlerWithItsOwnValidationCallback_FailsInsteadOfReplacingIt()
    {
        var services = ServiceHarness.Services();
        services.AddHttpClient("model")
            .AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle()))
            .UseSocketsHttpHandler((handler, _) => handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, errors) => errors == System.Net.Security.SslPolicyErrors.None);
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        act.Should().Throw<InvalidOperationException>().WithMessage("PrivateCa cannot apply trust to HttpClient 'model': its primary handler already sets SocketsHttpHandler.SslOptions.RemoteCertificateValidationCallback*");
    }

    [Fact]
    public async Task CreateClient_BundleMissingAtFirst_WorksOnceItAppearsWithoutRestart()
    {
        await using var server = await Server();
        var path = _dir.File("late.pem");
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(path));
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();

        var before = await Get(provider, server);
        File.WriteAllText(path, Pki.PemOf(_root));
        var after = await Get(provider, server);

        before.Error!.InnerException.Should().BeOfType<CertificateBundleException>().Which.Message.Should().Contain(path).And.Contain("no such file");
        after.Body.Should().Be("ok");
        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Name == "TrustUnavailable" && r.Message.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddPrivateCaTrust_OtherClientsOfTheFactory_AreLeftAlone()
    {
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle()));
        services.AddHttpClient("public");
        await using var provider = services.Build();

        var handlers = provider.GetRequiredService<IHttpMessageHandlerFactory>();
        Primary(handlers.CreateHandler("public")).SslOptions.RemoteCertificateValidationCallback.Should().BeNull();
        Primary(handlers.CreateHandler("model")).SslOptions.RemoteCertificateValidationCallback.Should().NotBeNull();
    }

    private static SocketsHttpHandler Primary(HttpMessageHandler handler)
    {
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        return (SocketsHttpHandler)handler;
    }

    private sealed class UnknownHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
