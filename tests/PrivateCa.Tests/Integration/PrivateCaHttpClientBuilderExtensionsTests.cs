using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using PrivateCa.Integration.Internal;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

public sealed class PrivateCaHttpClientBuilderExtensionsTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("DI Root");
    private readonly X509Certificate2 _issuing;

    public PrivateCaHttpClientBuilderExtensionsTests()
    {
        _issuing = Pki.Intermediate("DI Issuing", _root);
    }

    public void Dispose() => _dir.Dispose();

    private string Bundle(params X509Certificate2[] certificates) => _dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(certificates));

    /// <summary>Connects every client of the factory to 127.0.0.1 whatever the host name, below the trust handler.</summary>
    internal static void Loopback(IServiceCollection services) =>
        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b =>
        {
            if (b.PrimaryHandler is SocketsHttpHandler sockets)
            {
                // A new connection per request, so every request is a handshake the test can observe.
                sockets.PooledConnectionLifetime = TimeSpan.Zero;
                sockets.ConnectCallback = async (context, token) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), token);
                    return new NetworkStream(socket, ownsSocket: true);
                };
            }
        }));

    private static async Task<TlsServer> Server(X509Certificate2 issuing, string host = Host) => await TlsServer.StartAsync(Pki.Server(issuing, host), [issuing]);

    private static async Task<(string? Body, Exception? Error)> Get(IServiceProvider provider, string client, TlsServer server, string host = Host) =>
        await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient(client), server.Url(host));

    [Fact]
    public async Task AddPrivateCaTrust_NoArguments_TrustsWhatTheEnvironmentNames()
    {
        await using var server = await Server(_issuing);
        var services = ServiceHarness.Services(new() { ["SSL_CERT_FILE"] = Bundle(_root) });
        services.AddHttpClient("model").AddPrivateCaTrust();
        Loopback(services);
        await using var provider = services.Build();

        (await Get(provider, "model", server)).Body.Should().Be("ok");
    }

    [Fact]
    public async Task AddPrivateCaTrust_Action_TrustsTheConfiguredBundle()
    {
        await using var server = await Server(_issuing);
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root)));
        Loopback(services);
        await using var provider = services.Build();

        (await Get(provider, "model", server)).Body.Should().Be("ok");
    }

    [Fact]
    public async Task AddPrivateCaTrust_ConfigurationSection_BindsEveryProperty()
    {
        // Every property set to a value other than its default, so a property the binder skips turns this red.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PrivateCa:BundlePaths:0"] = "/config/ca.pem",
            ["PrivateCa:UseEnvironment"] = "false",
            ["PrivateCa:Mode"] = "SystemAndCustomRoots",
            ["PrivateCa:Hosts:0"] = Host,
            ["PrivateCa:PinnedSpkiSha256:0"] = Pki.SpkiPin(_issuing),
            ["PrivateCa:RevocationMode"] = "Offline",
            ["PrivateCa:RevocationListPaths:0"] = "/config/crls",
            ["PrivateCa:AllowIntermediateAnchors"] = "true",
            ["PrivateCa:ReloadOnChange"] = "false",
            ["PrivateCa:ClientCertificatePath"] = "/config/tls.crt",
            ["PrivateCa:ClientKeyPath"] = "/config/tls.key",
            ["PrivateCa:Profile"] = "Strict",
            ["PrivateCa:AllowCommonNameFallback"] = "true",
        }).Build();
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(configuration.GetSection("PrivateCa"));
        await using var provider = services.Build();

        var options = provider.GetRequiredService<IOptionsMonitor<PrivateCaTrustOptions>>().Get("model");

        options.BundlePaths.Should().Equal("/config/ca.pem");
        options.UseEnvironment.Should().BeFalse();
        options.Mode.Should().Be(TrustMode.SystemAndCustomRoots);
        options.Hosts.Should().Equal(Host);
        options.PinnedSpkiSha256.Should().Equal(Pki.SpkiPin(_issuing));
        options.RevocationMode.Should().Be(X509RevocationMode.Offline);
        options.RevocationListPaths.Should().Equal("/config/crls");
        options.AllowIntermediateAnchors.Should().BeTrue();
        options.ReloadOnChange.Should().BeFalse();
        options.ClientCertificatePath.Should().Be("/config/tls.crt");
        options.ClientKeyPath.Should().Be("/config/tls.key");
        options.Profile.Should().Be(ValidationProfile.Strict);
        options.AllowCommonNameFallback.Should().BeTrue();
        typeof(PrivateCaTrustOptions).GetProperties().Should().HaveCount(13, "a new option gets a line here");
    }

    [Fact]
    public async Task AddPrivateCaTrust_TwoNamedClients_EachTrustsOnlyItsOwnBundle()
    {
        var otherRoot = Pki.Root("Other DI Root");
        await using var first = await Server(_issuing);
        await using var second = await Server(otherRoot);
        var services = ServiceHarness.Services();
        services.AddHttpClient("first").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root)));
        services.AddHttpClient("second").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(Bundle(otherRoot));
            o.Hosts.Add(Host);
        });
        Loopback(services);
        await using var provider = services.Build();

        (await Get(provider, "first", first)).Body.Should().Be("ok");
        (await Get(provider, "second", second)).Body.Should().Be("ok");
        (await Get(provider, "first", second)).Error!.InnerException.Should().BeOfType<CertificateTrustException>();
        (await Get(provider, "second", first)).Error!.InnerException.Should().BeOfType<CertificateTrustException>();
    }

    [Fact]
    public async Task ConfigureHttpClientDefaults_AppliesToEveryClient()
    {
        await using var server = await Server(_issuing);
        var bundle = Bundle(_root);
        var services = ServiceHarness.Services();
        services.ConfigureHttpClientDefaults(b => b.AddPrivateCaTrust(o => o.BundlePaths.Add(bundle)));
        services.AddHttpClient("one");
        Loopback(services);
        await using var provider = services.Build();

        (await Get(provider, "one", server)).Body.Should().Be("ok");
        (await Get(provider, "any-other-name", server)).Body.Should().Be("ok");
    }

    [Fact]
    public async Task AddPrivateCaTrust_CalledTwice_AddsOneHandlerAndMergesSettings()
    {
        await using var server = await Server(_issuing);
        var once = ServiceHarness.Services();
        once.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root)));
        var twice = ServiceHarness.Services();
        twice.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root))).AddPrivateCaTrust(o => o.Hosts.Add(Host));
        Loopback(twice);
        await using var onceProvider = once.Build();
        await using var twiceProvider = twice.Build();

        static int Actions(IServiceProvider p) => p.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get("model").HttpMessageHandlerBuilderActions.Count;
        Actions(twiceProvider).Should().Be(Actions(onceProvider) + 1, "the only extra action is the test's loopback connector");
        twiceProvider.GetRequiredService<IOptionsMonitor<PrivateCaTrustOptions>>().Get("model").Hosts.Should().Equal(Host);
        (await Get(twiceProvider, "model", server)).Body.Should().Be("ok");
    }

    [Fact]
    public void HandlerRecycling_BuildsNewHandlersWithoutReparsingTheBundle()
    {
        var bundle = Bundle(_root);
        var services = ServiceHarness.Services();
        services.AddHttpClient("a").AddPrivateCaTrust(o => o.BundlePaths.Add(bundle));
        services.AddHttpClient("b").AddPrivateCaTrust(o => o.BundlePaths.Add(bundle));
        using var provider = services.Build();
        var factoryOptions = provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>();

        var filters = provider.GetServices<IHttpMessageHandlerBuilderFilter>().ToArray();
        var handlers = new List<HttpMessageHandler>();
        for (var i = 0; i < 10; i++)
        {
            foreach (var name in new[] { "a", "b" })
            {
                // What DefaultHttpClientFactory does each time a handler's lifetime ends: the actions, wrapped by the filters.
                var builder = provider.GetRequiredService<HttpMessageHandlerBuilder>();
                builder.Name = name;
                Action<HttpMessageHandlerBuilder> configure = b =>
                {
                    foreach (var action in factoryOptions.Get(name).HttpMessageHandlerBuilderActions)
                    {
                        action(b);
                    }
                };
                for (var f = filters.Length - 1; f >= 0; f--)
                {
                    configure = filters[f].Configure(configure);
                }

                configure(builder);
                builder.AdditionalHandlers.OfType<TrustRejectionPortHandler>().Should().ContainSingle("one handler adds the port to a rejection");
                handlers.Add(builder.PrimaryHandler);
            }
        }

        var sources = provider.GetRequiredService<TrustSourceCache>();
        sources.Sources.Should().ContainSingle("both clients name the same bundle").Which.LoadCount.Should().Be(1);
        handlers.Should().OnlyHaveUniqueItems().And.AllBeOfType<SocketsHttpHandler>();
        handlers.Cast<SocketsHttpHandler>().Should().OnlyContain(h => h.SslOptions.RemoteCertificateValidationCallback != null && h.PooledConnectionLifetime == TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void StartUp_NoSourceAtAll_TellsWhatToSet()
    {
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust();
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage("*No CA bundle configured: set SSL_CERT_FILE or REQUESTS_CA_BUNDLE*PrivateCa:BundlePaths*");
    }

    [Fact]
    public void StartUp_BadBundlePath_CarriesTheLoaderMessage()
    {
        var missing = _dir.File("missing.pem");
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(missing));
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage($"*client 'model'*Cannot load CA bundle '{missing}': no such file*");
    }

    [Fact]
    public void StartUp_BadBundleFromEnvironment_NamesTheVariable()
    {
        var bad = _dir.Write("bad.pem", "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n");
        var services = ServiceHarness.Services(new() { ["REQUESTS_CA_BUNDLE"] = bad });
        services.AddHttpClient("model").AddPrivateCaTrust();
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().StartWith("PrivateCa (client 'model'): Cannot load CA bundle")
            .And.Contain("REQUESTS_CA_BUNDLE").And.Contain("line 1").And.Contain("bad base64").And.NotContain("Property");
    }

    [Fact]
    public void StartUp_ClientKeyWithoutCertificate_SaysSo()
    {
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(Bundle(_root));
            o.ClientKeyPath = "/secrets/client.key";
        });
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage("*ClientKeyPath is set (/secrets/client.key) but ClientCertificatePath is not*");
    }

    [Fact]
    public void StartUp_ClientKeyPathWithLineFeed_IsEscapedInTheMessage()
    {
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(Bundle(_root));
            o.ClientKeyPath = "/secrets/k.pem\ninfo: PrivateCa all good \u202Emep.yek";
        });
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Message.Should()
            .Contain("k.pem\\ninfo: PrivateCa all good \\u202Emep.yek").And.NotContain("\n").And.NotContain("\u202E");
    }

    [Fact]
    public void StartUp_ClientNameWithLineFeed_IsEscapedInTheLoadCheckMessage()
    {
        var services = ServiceHarness.Services();
        services.AddHttpClient("evil\nclient\u202E").AddPrivateCaTrust(o => o.BundlePaths.Add(_dir.File("missing.pem")));
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Message.Should()
            .Contain("client 'evil\\nclient\\u202E'").And.NotContain("\n").And.NotContain("\u202E");
    }

    [Fact]
    public void StartUp_BundleWithHundredsOfWarnings_LogsAHundredAndCountsTheRest()
    {
        // 120 CAs without keyCertSign: 120 warnings. The start-up log stays bounded; the diagnostics keep them all.
        var path = _dir.Write("warnings.pem", TestPki.Pem([.. Enumerable.Range(0, 120).Select(i => TestPki.CreateRoot($"No Sign {i}", keyUsage: X509KeyUsageFlags.DigitalSignature))]));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(path));
        using var provider = services.Build();

        provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        var warnings = provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Name == "BundleDiagnostic").ToList();
        warnings.Should().HaveCount(101);
        warnings[^1].Message.Should().Contain("20 more warnings").And.Contain("CertificateBundle.Diagnostics");
        CertificateBundleLoader.Load(path).Diagnostics.Count(d => d.Code == BundleDiagnosticCode.NoKeyCertSign).Should().Be(120);
    }

    [Fact]
    public void StartUp_MalformedPinAndHost_ReportsBoth()
    {
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(Bundle(_root));
            o.PinnedSpkiSha256.Add("abc");
            o.Hosts.Add("https://model.internal/");
        });
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        var error = act.Should().Throw<OptionsValidationException>().Which;
        error.Failures.Should().Contain(f => f.Contains("'abc'", StringComparison.Ordinal) && f.Contains("PinnedSpkiSha256", StringComparison.Ordinal));
        error.Failures.Should().Contain(f => f.Contains("'https://model.internal/'", StringComparison.Ordinal) && f.Contains("Hosts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejection_ThroughTheFactory_NamesHostAndPort()
    {
        await using var server = await Server(Pki.Root("Port Stranger"));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root)));
        Loopback(services);
        await using var provider = services.Build();

        var error = (await Get(provider, "model", server)).Error!;

        error.Should().BeOfType<HttpRequestException>().Which.HttpRequestError.Should().Be(HttpRequestError.SecureConnectionError);
        var rejection = error.InnerException.Should().BeOfType<CertificateTrustException>().Subject;
        rejection.Host.Should().Be(Host);
        rejection.Port.Should().Be(server.Port);
        rejection.Message.Should().StartWith($"PrivateCa rejected the certificate of {Host}:{server.Port}: issuer 'CN=Port Stranger'");
        CertificateTrustException.IsTrustRejection(error).Should().BeTrue();
    }
}
