using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PrivateCa.Integration.Internal;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

/// <summary>
/// The environment as a corporate base image sets it: several variables, the first one set decides, the others are reported;
/// a variable changed at run time reaches new handshakes within the re-read interval; with nothing set, the start-up error
/// lists the well-known bundle files that exist.
/// </summary>
public sealed class EnvironmentRuleTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _private = Pki.Root("Private Root");
    private readonly X509Certificate2 _public = Pki.Root("Public Root Named By The Image");

    public void Dispose() => _dir.Dispose();

    private string Bundle(X509Certificate2 root) => _dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(root));

    private static async Task<(string? Body, Exception? Error)> Get(IServiceProvider provider, TlsServer server) =>
        await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient("model"), server.Url(Host));

    [Fact]
    public async Task SeveralVariablesSet_FirstDecides_OthersLoggedAsNotUsed_AndTheirRootsAreNotTrusted()
    {
        await using var privateServer = await TlsServer.StartAsync(Pki.Server(_private, Host));
        await using var publicServer = await TlsServer.StartAsync(Pki.Server(_public, Host));
        var image = Bundle(_public);
        var services = ServiceHarness.Services(new()
        {
            ["SSL_CERT_FILE"] = Bundle(_private),
            ["REQUESTS_CA_BUNDLE"] = image,
            ["CURL_CA_BUNDLE"] = image,
            ["SSL_CERT_DIR"] = _dir.Path,
            ["NODE_EXTRA_CA_CERTS"] = image,
        });
        services.AddHttpClient("model").AddPrivateCaTrust();
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();

        (await Get(provider, privateServer)).Body.Should().Be("ok");
        (await Get(provider, publicServer)).Error!.InnerException.Should().BeOfType<CertificateTrustException>("only the bundle's anchors are trusted");

        var records = provider.GetFakeLogCollector().GetSnapshot();
        records.Should().ContainSingle(r => r.Id.Name == "TrustLoaded").Which.Message.Should()
            .Contain("from SSL_CERT_FILE").And.Contain("mode CustomRootTrust, only the bundle's anchors");
        records.Where(r => r.Id.Name == "BundleDiagnostic" && r.Message.Contains("but not used: SSL_CERT_FILE decides", StringComparison.Ordinal))
            .Select(r => r.Message["PrivateCa bundle: ".Length..].Split(' ')[0])
            .Should().Equal("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS");
    }

    [Fact]
    public async Task NodeExtraCaCertsAlone_LogsThatItAddsToSystemTrust()
    {
        var services = ServiceHarness.Services(new() { ["NODE_EXTRA_CA_CERTS"] = Bundle(_private) });
        services.AddHttpClient("model").AddPrivateCaTrust();
        await using var provider = services.Build();

        provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        provider.GetFakeLogCollector().GetSnapshot().Should().ContainSingle(r => r.Id.Name == "TrustLoaded").Which.Message.Should()
            .Contain("mode SystemAndCustomRoots, added to the system's roots (NODE_EXTRA_CA_CERTS is the only variable set)");
    }

    [Fact]
    public async Task BundlePathsSet_EnvironmentVariablesReportedAsNotUsed()
    {
        var services = ServiceHarness.Services(new() { ["SSL_CERT_FILE"] = Bundle(_public) });
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_private)));
        await using var provider = services.Build();

        provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Name == "BundleDiagnostic" && r.Message.Contains("SSL_CERT_FILE is set", StringComparison.Ordinal)
            && r.Message.Contains("but not used: BundlePaths decides", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VariableChangedAtRunTime_ReachesNewHandshakesWithinTheRereadInterval_AndABadOneKeepsTheLastGood()
    {
        var rotated = Pki.Root("Rotated Private Root");
        await using var server = await TlsServer.StartAsync(Pki.Server(rotated, Host));
        var environment = new ConcurrentDictionary<string, string> { ["SSL_CERT_FILE"] = Bundle(_private) };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = ServiceHarness.ServicesReading(name => environment.GetValueOrDefault(name), time);
        services.AddHttpClient("model").AddPrivateCaTrust();
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();

        var before = await Get(provider, server);
        var rotatedBundle = Bundle(rotated);
        environment["SSL_CERT_FILE"] = rotatedBundle;
        time.Advance(FileWatch.PollInterval);
        var after = await Get(provider, server);
        environment["SSL_CERT_FILE"] = _dir.File("typo.pem");
        time.Advance(FileWatch.PollInterval);
        var afterBad = await Get(provider, server);

        before.Error!.InnerException.Should().BeOfType<CertificateTrustException>();
        after.Body.Should().Be("ok");
        afterBad.Body.Should().Be("ok", "a variable naming a bad file is rejected and the last good trust stays");
        var records = provider.GetFakeLogCollector().GetSnapshot();
        records.Should().Contain(r => r.Id.Name == "ReloadApplied" && r.Message.Contains($"{rotatedBundle} (SSL_CERT_FILE)", StringComparison.Ordinal));
        records.Should().Contain(r => r.Id.Name == "ReloadRejected" && r.Message.Contains("typo.pem", StringComparison.Ordinal) && r.Message.Contains("SSL_CERT_FILE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VariableChangedAtRunTime_ToAPathWithANulCharacter_IsRejectedAndTheLastGoodKept()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_private, Host));
        var environment = new ConcurrentDictionary<string, string> { ["SSL_CERT_FILE"] = Bundle(_private) };
        var services = ServiceHarness.ServicesReading(name => environment.GetValueOrDefault(name), new FakeTimeProvider(DateTimeOffset.UtcNow));
        services.AddHttpClient("model").AddPrivateCaTrust();
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();
        (await Get(provider, server)).Body.Should().Be("ok");
        var source = provider.GetRequiredService<PrivateCaTrustRegistry>().StateFor("model").Source.Load();

        // The re-read runs on a timer thread, where any exception but a rejection would end the process.
        environment["SSL_CERT_FILE"] = "/etc/ssl/private\0.pem";
        var outcome = source.TryReload();

        outcome.Should().Be("rejected");
        (await Get(provider, server)).Body.Should().Be("ok", "the last good trust stays");
        source.LastError.Should().Contain("SSL_CERT_FILE");
    }

    [Fact]
    public void StartUp_NothingSet_ListsTheWellKnownBundleFilesThatExist()
    {
        var mounted = _dir.Write("etc/ssl/cert.pem", Pki.PemOf(_private));
        var services = ServiceHarness.Services(wellKnownLocations: [_dir.File("etc/pki/tls/certs/ca-bundle.crt"), mounted]);
        services.AddHttpClient("model").AddPrivateCaTrust();
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Message.Should()
            .Contain("No CA bundle configured: set SSL_CERT_FILE or REQUESTS_CA_BUNDLE")
            .And.Contain($"none of which PrivateCa reads unless named: {mounted}.")
            .And.Contain($"SSL_CERT_FILE={mounted}")
            .And.NotContain("ca-bundle.crt")
            .And.NotContain("Property");
    }

    [Fact]
    public void StartUp_NothingSetAndNoWellKnownFile_SaysSo()
    {
        var services = ServiceHarness.Services(wellKnownLocations: [_dir.File("absent.pem")]);
        services.AddHttpClient("model").AddPrivateCaTrust();
        using var provider = services.Build();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage("*No well-known bundle file exists on this machine either.*");
    }
}
