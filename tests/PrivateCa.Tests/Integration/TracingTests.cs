using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using PrivateCa.Integration.Internal;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

/// <summary>
/// The 'PrivateCa' activity source, seen through an ActivityListener: a rejected handshake and a reload each leave a
/// short activity in the trace of the work that caused them. Each test starts its own parent activity and reads only
/// activities of that trace, so tests running in parallel do not see each other's.
/// </summary>
public sealed class TracingTests : IDisposable
{
    private const string Host = "traced.internal";
    private static readonly ActivitySource Caller = new("PrivateCa.Tests.Caller");
    private readonly TempDirectory _dir = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PrivateCaTracing.SourceName or "PrivateCa.Tests.Caller",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _dir.Dispose();
    }

    private Activity[] Traced(Activity parent, string name) =>
        [.. _stopped.Where(a => a.TraceId == parent.TraceId && a.OperationName == name)];

    /// <summary>One GET through a factory client trusting <paramref name="trusted"/>, inside a parent activity of its own.</summary>
    private async Task<(Activity Request, Exception? Error)> CallAsync(X509Certificate2 trusted, X509Certificate2 serverCertificate)
    {
        await using var server = await TlsServer.StartAsync(serverCertificate);
        var bundle = _dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(trusted));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(bundle));
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        using var request = Caller.StartActivity("call model")!;
        var (_, error) = await LoopbackClient.TryGetAsync(client, server.Url(Host));
        return (request, error);
    }

    [Fact]
    public async Task HandshakeRejected_WrongCa_ActivityInTheFailingRequestsTraceCarriesFailureHostAndSources()
    {
        var (request, error) = await CallAsync(Pki.Root("Traced Root"), Pki.Server(Pki.Root("Traced Stranger"), Host));

        error.Should().NotBeNull();
        var rejected = Traced(request, PrivateCaTracing.HandshakeRejectedName).Should().ContainSingle().Subject;
        rejected.Source.Name.Should().Be("PrivateCa");
        rejected.Status.Should().Be(ActivityStatusCode.Error);
        rejected.StatusDescription.Should().Contain("CN=Traced Stranger");
        rejected.GetTagItem("server.address").Should().Be(Host);
        rejected.GetTagItem("privateca.trust_failure").Should().Be(nameof(TrustFailure.UntrustedRoot));
        ((string)rejected.GetTagItem("privateca.sources")!).Should().Contain(_dir.Path);
    }

    [Fact]
    public async Task HandshakeTrusted_RightCa_LeavesNoActivity()
    {
        var root = Pki.Root("Traced Good Root");

        var (request, error) = await CallAsync(root, Pki.Server(root, Host));

        error.Should().BeNull();
        _stopped.Where(a => a.TraceId == request.TraceId && a.Source.Name == PrivateCaTracing.SourceName).Should().BeEmpty();
    }

    [Fact]
    public void TryReload_AppliedThenRejected_EachLeavesAnActivityWithOutcomeAndSources()
    {
        var bundle = _dir.Write("reload.pem", Pki.PemOf(Pki.Root("Reload One")));
        var options = new PrivateCaTrustOptions { UseEnvironment = false, ReloadOnChange = false };
        options.BundlePaths.Add(bundle);
        using var metrics = new PrivateCaMetrics(null);
        using var cache = new TrustSourceCache(metrics, TimeProvider.System, loggers: null, environment: _ => null);
        var source = cache.SourceFor(cache.Decide(options));

        Activity parent;
        using (parent = Caller.StartActivity("rotate")!)
        {
            File.WriteAllText(bundle, Pki.PemOf(Pki.Root("Reload Two")));
            source.TryReload().Should().Be("applied");
            File.WriteAllText(bundle, "-----BEGIN CERTIFICATE-----\nnot base64\n");
            source.TryReload().Should().Be("rejected");
        }

        var reloads = Traced(parent, PrivateCaTracing.ReloadName);
        reloads.Select(a => a.GetTagItem("privateca.reload.outcome")).Should().Equal("applied", "rejected");
        reloads.Should().OnlyContain(a => ((string)a.GetTagItem("privateca.sources")!).Contains(bundle, StringComparison.Ordinal));
        reloads[0].Status.Should().Be(ActivityStatusCode.Unset);
        reloads[1].Status.Should().Be(ActivityStatusCode.Error);
        reloads[1].StatusDescription.Should().Contain("no END line");
        reloads[1].GetTagItem("privateca.certificates").Should().Be(1, "the last good bundle stays in force");
    }
}
