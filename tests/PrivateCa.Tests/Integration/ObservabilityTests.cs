using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

/// <summary>Log events, metrics, the health check, and composition with Microsoft.Extensions.Http.Resilience.</summary>
public sealed class ObservabilityTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Observed Root", new Pki.Spec { NotAfter = DateTimeOffset.UtcNow.AddDays(40) });

    public void Dispose() => _dir.Dispose();

    private string Bundle(params X509Certificate2[] certificates) => _dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(certificates));

    private static async Task<(string? Body, Exception? Error)> Get(IServiceProvider provider, TlsServer server, string client = "model") =>
        await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient(client), server.Url(Host));

    [Fact]
    public async Task Logging_StartReportAndRejection_HaveStableEventIds()
    {
        var stranger = Pki.Root("Stranger");
        await using var server = await TlsServer.StartAsync(Pki.Server(stranger, Host));
        var bundle = Bundle(_root);
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(bundle));
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();

        await Get(provider, server);

        var records = provider.GetFakeLogCollector().GetSnapshot();
        var start = records.Should().ContainSingle(r => r.Id.Id == 1).Subject;
        start.Id.Name.Should().Be("TrustLoaded");
        start.Level.Should().Be(LogLevel.Information);
        start.Message.Should().Contain("'model'").And.Contain(bundle).And.Contain("1 certificates (1 anchors)").And.Contain("earliest anchor expiry");
        records.Should().Contain(r => r.Id.Id == 2 && r.Level == LogLevel.Debug && r.Message.Contains(_root.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), StringComparison.Ordinal));
        var rejected = records.Should().ContainSingle(r => r.Id.Id == 20).Subject;
        rejected.Id.Name.Should().Be("HandshakeRejected");
        rejected.Message.Should().Contain(Host).And.Contain("UntrustedRoot").And.Contain("issuer 'CN=Stranger'");
    }

    [Fact]
    public async Task Logging_EnvironmentSources_NameTheirVariable()
    {
        var services = ServiceHarness.Services(new() { ["REQUESTS_CA_BUNDLE"] = Bundle(_root) });
        services.AddHttpClient("model").AddPrivateCaTrust();
        await using var provider = services.Build();

        provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        provider.GetFakeLogCollector().GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1).Which.Message.Should().Contain("from REQUESTS_CA_BUNDLE");
    }

    [Fact]
    public async Task Metrics_ValidationsByOutcomeAndReason_AndDaysToExpiry()
    {
        var issuing = Pki.Intermediate("Observed Issuing", _root);
        await using var trusted = await TlsServer.StartAsync(Pki.Server(issuing, Host), [issuing]);
        await using var wrongName = await TlsServer.StartAsync(Pki.Server(issuing, "elsewhere.internal"), [issuing]);
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root)));
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();
        var meters = provider.GetRequiredService<IMeterFactory>();
        using var validations = new MetricCollector<long>(meters, "PrivateCa", "privateca.validations");
        using var expiry = new MetricCollector<double>(meters, "PrivateCa", "privateca.anchor.expiry");

        (await Get(provider, trusted)).Body.Should().Be("ok");
        (await Get(provider, wrongName)).Error.Should().NotBeNull();
        expiry.RecordObservableInstruments();

        validations.GetMeasurementSnapshot().Should().Contain(m => Equals(m.Tags["outcome"], "trusted") && Equals(m.Tags["reason"], "None"))
            .And.Contain(m => Equals(m.Tags["outcome"], "rejected") && Equals(m.Tags["reason"], "NameMismatch"));
        expiry.LastMeasurement!.Value.Should().BeApproximately(40, 0.1);
    }

    [Fact]
    public async Task HealthCheck_HealthyThenDegradedNearExpiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = ServiceHarness.Services(time: time);
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root)));
        services.AddHealthChecks().AddPrivateCaTrust("model", expiryWarning: TimeSpan.FromDays(14));
        await using var provider = services.Build();
        var health = provider.GetRequiredService<HealthCheckService>();

        var now = await health.CheckHealthAsync();
        time.Advance(TimeSpan.FromDays(30));
        var later = await health.CheckHealthAsync();

        now.Status.Should().Be(HealthStatus.Healthy);
        later.Status.Should().Be(HealthStatus.Degraded);
        later.Entries["privateca:model"].Description.Should().Contain("Anchor 'CN=Observed Root'").And.Contain("in 10 days");
    }

    [Fact]
    public async Task HealthCheck_AnchorNameWithLineFeedAndBidiOverride_IsEscapedInTheDescription()
    {
        // The description is logged by the health-check framework: a name from a bundle must not forge a line there.
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName("Evil\nhealth: all fine \u202Etoor");
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest(name.Build(), key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(root)));
        services.AddHealthChecks().AddPrivateCaTrust("model", expiryWarning: TimeSpan.FromDays(14));
        await using var provider = services.Build();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Status.Should().Be(HealthStatus.Degraded);
        report.Entries["privateca:model"].Description.Should().Contain("Evil\\nhealth: all fine \\u202Etoor").And.NotContain("\n").And.NotContain("\u202E");
    }

    [Fact]
    public async Task HealthCheck_NothingEverLoaded_UnhealthyUntilTheBundleAppears()
    {
        var missing = _dir.File("gone.pem");
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(missing));
        services.AddHealthChecks().AddPrivateCaTrust("model");
        await using var provider = services.Build();
        var health = provider.GetRequiredService<HealthCheckService>();

        var before = await health.CheckHealthAsync();
        File.WriteAllText(missing, Pki.PemOf(_root));
        var after = await health.CheckHealthAsync();

        before.Status.Should().Be(HealthStatus.Unhealthy);
        before.Entries["privateca:model"].Description.Should().StartWith("No trust is in force").And.Contain(missing).And.Contain("no such file");
        after.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task HealthCheck_RejectedReload_DegradedWhileTheLastGoodServes()
    {
        var bundle = Bundle(_root);
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(bundle);
            o.ReloadOnChange = false;
        });
        services.AddHealthChecks().AddPrivateCaTrust("model");
        await using var provider = services.Build();
        var health = provider.GetRequiredService<HealthCheckService>();
        (await health.CheckHealthAsync()).Status.Should().Be(HealthStatus.Healthy);
        var source = provider.GetRequiredService<PrivateCa.Integration.Internal.TrustSourceCache>().Sources.Single();

        File.WriteAllText(bundle, "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n");
        source.TryReload().Should().Be("rejected");
        var degraded = await health.CheckHealthAsync();
        File.WriteAllText(bundle, Pki.PemOf(_root));
        source.TryReload();
        var recovered = await health.CheckHealthAsync();

        degraded.Status.Should().Be(HealthStatus.Degraded);
        degraded.Entries["privateca:model"].Description.Should().StartWith("The last good CA bundle (1 certificates").And.Contain("the latest reload was rejected").And.Contain("line 1: bad base64");
        recovered.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task HealthCheck_RejectedConfigurationReload_DegradedWhileTheLastGoodOptionsServe()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PrivateCa:BundlePaths:0"] = Bundle(_root),
            ["PrivateCa:Hosts:0"] = "model.internal",
        }).Build();
        var services = ServiceHarness.Services();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddHttpClient("model").AddPrivateCaTrust();
        services.AddHealthChecks().AddPrivateCaTrust("model");
        await using var provider = services.Build();
        var health = provider.GetRequiredService<HealthCheckService>();
        (await health.CheckHealthAsync()).Status.Should().Be(HealthStatus.Healthy);

        configuration["PrivateCa:Hosts:0"] = "https://model.internal/";

        // IOptionsMonitor validates the changed options itself and throws to whoever reloads; every listener has run by then.
        configuration.Invoking(c => c.Reload()).Should().Throw<AggregateException>();
        var degraded = await health.CheckHealthAsync();
        configuration["PrivateCa:Hosts:0"] = "other.internal";
        configuration.Reload();
        var recovered = await health.CheckHealthAsync();

        degraded.Status.Should().Be(HealthStatus.Degraded, "the last good options serve while the changed ones are rejected");
        degraded.Entries["privateca:model"].Description.Should().Contain("latest configuration change was rejected").And.Contain("https://model.internal/");
        recovered.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task HealthCheck_AnchorAlreadyExpired_IsALoaderDiagnosticNotDegraded()
    {
        var expired = Pki.Root("Expired Root", new Pki.Spec { NotBefore = DateTimeOffset.UtcNow.AddDays(-30), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) });
        var lasting = Pki.Root("Lasting Root", new Pki.Spec { NotAfter = DateTimeOffset.UtcNow.AddDays(400) });
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(expired, lasting)));
        services.AddHealthChecks().AddPrivateCaTrust("model");
        await using var provider = services.Build();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Status.Should().Be(HealthStatus.Healthy);
        report.Entries["privateca:model"].Data["earliestExpiry"].Should().Be(new DateTimeOffset(lasting.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        provider.GetRequiredService<PrivateCa.Integration.Internal.TrustSourceCache>().Sources.Single().Current.Bundle.Diagnostics
            .Should().Contain(d => d.Code == BundleDiagnosticCode.Expired && d.CertificateSubject == "CN=Expired Root");
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 4)]
    public async Task Resilience_TrustRejection_IsNotRetriedWhenExcluded(bool excludeTrustRejections, int expectedAttempts)
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(Pki.Root("Not Trusted"), Host));
        var attempts = new AttemptCounter();
        var services = ServiceHarness.Services();
        services.AddHttpClient("model")
            .AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root)))
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.Delay = TimeSpan.Zero;
                if (excludeTrustRejections)
                {
                    o.Retry.ShouldHandle = args => ValueTask.FromResult(
                        !CertificateTrustException.IsTrustRejection(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
                }
            });
        services.AddHttpClient("model").AddHttpMessageHandler(() => attempts);
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();

        var result = await Get(provider, server);

        result.Error!.InnerException.Should().BeOfType<CertificateTrustException>();
        attempts.Count.Should().Be(expectedAttempts);
    }

    [Fact]
    public async Task Resilience_TrustedServer_Succeeds()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_root, Host));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root))).AddStandardResilienceHandler();
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();

        (await Get(provider, server)).Body.Should().Be("ok");
    }

    [Fact]
    public async Task RealServiceCollection_WithoutTestSeams_BuildsValidatesAndTrusts()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_root, Host));
        var services = new ServiceCollection();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Bundle(_root)));
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();

        provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        (await Get(provider, server)).Body.Should().Be("ok");
    }

    private sealed class AttemptCounter : DelegatingHandler
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
