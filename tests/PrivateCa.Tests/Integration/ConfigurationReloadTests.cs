using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrivateCa.Integration.Internal;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

/// <summary>The no-argument AddPrivateCaTrust binds the PrivateCa section; a configuration reload reaches new handshakes.</summary>
public sealed class ConfigurationReloadTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Reload Root");
    private readonly X509Certificate2 _issuing;

    public ConfigurationReloadTests()
    {
        _issuing = Pki.Intermediate("Reload Issuing", _root);
    }

    public void Dispose() => _dir.Dispose();

    private string Bundle(X509Certificate2 root) => _dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(root));

    private static async Task<(string? Body, Exception? Error)> Get(IServiceProvider provider, TlsServer server, string host = Host) =>
        await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient("model"), server.Url(host));

    private static (ServiceProvider Provider, IConfigurationRoot Configuration) Build(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = ServiceHarness.Services();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddHttpClient("model").AddPrivateCaTrust();
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        more?.Invoke(services);
        return (services.Build(), configuration);
    }

    [Fact]
    public async Task AddPrivateCaTrust_NoArgumentsWithConfiguration_BindsThePrivateCaSection()
    {
        // The environment variable provider turns PrivateCa__AllowIntermediateAnchors into this key.
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), [_issuing]);
        var (provider, _) = Build(new()
        {
            ["PrivateCa:BundlePaths:0"] = Bundle(_issuing),
            ["PrivateCa:AllowIntermediateAnchors"] = "true",
        });
        await using var _ = provider;

        provider.GetRequiredService<IOptionsMonitor<PrivateCaTrustOptions>>().Get("model").AllowIntermediateAnchors.Should().BeTrue();
        (await Get(provider, server)).Body.Should().Be("ok", "the issuing CA alone is an anchor only because the bound option allows it");
    }

    [Fact]
    public async Task ConfigurationReload_ChangedHosts_ReachNewHandshakesWithoutRestart()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), [_issuing]);
        var (provider, configuration) = Build(new()
        {
            ["PrivateCa:BundlePaths:0"] = Bundle(_root),
            ["PrivateCa:Hosts:0"] = "other.internal",
        });
        await using var _ = provider;
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        var before = await LoopbackClient.TryGetAsync(client, server.Url(Host));
        configuration["PrivateCa:Hosts:0"] = Host;
        configuration.Reload();
        var after = await LoopbackClient.TryGetAsync(client, server.Url(Host));

        before.Error!.InnerException.Should().BeOfType<CertificateTrustException>().Which.Message.Should().Contain($"{Host} is outside Hosts (other.internal)");
        after.Body.Should().Be("ok", "the same HttpClient's next handshake uses the reloaded Hosts");
        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Name == "OptionsApplied" && r.Message.Contains($"hosts {Host}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConfigurationReload_ChangedBundlePathsAndMode_ReachNewHandshakes()
    {
        var otherRoot = Pki.Root("Reload Other Root");
        var otherIssuing = Pki.Intermediate("Reload Other Issuing", otherRoot);
        await using var server = await TlsServer.StartAsync(Pki.Server(otherIssuing, Host), [otherIssuing]);
        var (provider, configuration) = Build(new() { ["PrivateCa:BundlePaths:0"] = Bundle(_root) });
        await using var _ = provider;

        var before = await Get(provider, server);
        configuration["PrivateCa:BundlePaths:0"] = Bundle(otherRoot);
        configuration["PrivateCa:Mode"] = "SystemAndCustomRoots";
        configuration.Reload();
        var after = await Get(provider, server);

        before.Error!.InnerException.Should().BeOfType<CertificateTrustException>();
        after.Body.Should().Be("ok");
        provider.GetRequiredService<IOptionsMonitor<PrivateCaTrustOptions>>().Get("model").Mode.Should().Be(TrustMode.SystemAndCustomRoots);
    }

    [Fact]
    public async Task ConfigurationReload_BundlePathThatCannotLoad_KeepsTheLastGoodTrust()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), [_issuing]);
        var (provider, configuration) = Build(new() { ["PrivateCa:BundlePaths:0"] = Bundle(_root) });
        await using var _ = provider;
        (await Get(provider, server)).Body.Should().Be("ok");

        configuration["PrivateCa:BundlePaths:0"] = _dir.File("not-there.pem");
        configuration.Reload();
        var afterMissing = await Get(provider, server);

        afterMissing.Body.Should().Be("ok", "a reload naming a bundle that cannot load is rejected");
        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Name == "OptionsRejected" && r.Message.Contains("not-there.pem", StringComparison.Ordinal));
        provider.GetRequiredService<PrivateCaTrustRegistry>().StateFor("model").Source.Sources.Text.Should().NotContain("not-there.pem");
    }
}
