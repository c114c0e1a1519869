using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using PrivateCa.Integration.Internal;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

/// <summary>A Kubernetes-style volume whose '..data' link is swapped atomically, as the kubelet does for a ConfigMap or Secret.</summary>
public sealed class RotationTests : IDisposable
{
    private const string Host = "model.internal";

    /// <summary>The documented worst case when file events arrive: the debounce, plus room for a loaded CI machine.</summary>
    private static readonly TimeSpan Deadline = FileWatch.Debounce + TimeSpan.FromSeconds(9);

    private readonly TempDirectory _dir = new();
    private readonly string _volume;
    private int _generation;

    public RotationTests()
    {
        _volume = Directory.CreateDirectory(_dir.File("volume")).FullName;
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes a new timestamped folder and swaps '..data' to it with one rename, as the kubelet's AtomicWriter does.</summary>
    private void Publish(string caCrt)
    {
        var folder = $"..2026_11_28_16_00_{_generation++:00}.{Environment.ProcessId}";
        Directory.CreateDirectory(Path.Combine(_volume, folder));
        File.WriteAllText(Path.Combine(_volume, folder, "ca.crt"), caCrt);
        var temporary = Path.Combine(_volume, "..data_tmp");
        File.CreateSymbolicLink(temporary, folder);
        // rename(2) over the old link, as the kubelet does; 'mv -T' is that call (File.Move follows the link to the folder).
        using (var move = Process.Start("mv", ["-T", temporary, Path.Combine(_volume, "..data")]))
        {
            move.WaitForExit();
            move.ExitCode.Should().Be(0);
        }
        if (!File.Exists(Path.Combine(_volume, "ca.crt")))
        {
            File.CreateSymbolicLink(Path.Combine(_volume, "ca.crt"), "..data/ca.crt");
        }
    }

    private static async Task<bool> Trusts(IServiceProvider provider, TlsServer server) =>
        (await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient("model"), server.Url(Host))).Body == "ok";

    private static async Task<TimeSpan> Until(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"not reached within {Deadline.TotalSeconds} s");
            }

            await Task.Delay(50);
        }

        return clock.Elapsed;
    }

    [Fact]
    public async Task Rotation_DataSwapToNewCa_NewRequestsTrustItWithinTheDocumentedDelay_AndGarbageKeepsTheLastGood()
    {
        var oldRoot = Pki.Root("Rotation Old Root");
        var newRoot = Pki.Root("Rotation New Root");
        Publish(Pki.PemOf(oldRoot));
        await using var oldServer = await TlsServer.StartAsync(Pki.Server(oldRoot, Host));
        await using var newServer = await TlsServer.StartAsync(Pki.Server(newRoot, Host));
        var services = ServiceHarness.Services(new() { ["SSL_CERT_FILE"] = Path.Combine(_volume, "ca.crt") });
        services.AddHttpClient("model").AddPrivateCaTrust();
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();
        using var reloads = new MetricCollector<long>(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "PrivateCa", "privateca.reloads");

        (await Trusts(provider, oldServer)).Should().BeTrue();
        (await Trusts(provider, newServer)).Should().BeFalse();

        Publish(Pki.PemOf(newRoot));
        var delay = await Until(() => Trusts(provider, newServer));

        delay.Should().BeLessThan(Deadline);
        (await Trusts(provider, oldServer)).Should().BeFalse("the new bundle holds only the new root");

        var source = provider.GetRequiredService<TrustSourceCache>().Sources.Single();
        Publish("-----BEGIN CERTIFICATE-----\nthis is not base64\n");
        await Until(() => Task.FromResult(source.LastError is not null));

        (await Trusts(provider, newServer)).Should().BeTrue("the last good bundle stays in force");
        source.LastError.Should().Contain("no END line");
        reloads.GetMeasurementSnapshot().Should().Contain(m => Equals(m.Tags["outcome"], "rejected"))
            .And.Contain(m => Equals(m.Tags["outcome"], "applied"));
        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Id == 11 && r.Message.Contains("keeps the last good one", StringComparison.Ordinal))
            .And.Contain(r => r.Id.Id == 10);
    }

    [Fact]
    public async Task Rotation_InPlaceFileReplace_IsNoticed()
    {
        var oldRoot = Pki.Root("In Place Old");
        var newRoot = Pki.Root("In Place New");
        var bundle = _dir.Write("plain/ca.pem", Pki.PemOf(oldRoot));
        await using var newServer = await TlsServer.StartAsync(Pki.Server(newRoot, Host));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(bundle));
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();
        (await Trusts(provider, newServer)).Should().BeFalse();

        // cp-style replace: write a temporary file, then rename it over the old one.
        File.WriteAllText(bundle + ".tmp", Pki.PemOf(oldRoot, newRoot));
        File.Move(bundle + ".tmp", bundle, overwrite: true);

        (await Until(() => Trusts(provider, newServer))).Should().BeLessThan(Deadline);
    }

    [Fact]
    public async Task Rotation_LongLivedHttpClient_SeesTheNewCaOnNewConnections()
    {
        // What an OpenAI or Semantic Kernel client does: take one HttpClient at start-up and keep it.
        var oldRoot = Pki.Root("Long Lived Old");
        var newRoot = Pki.Root("Long Lived New");
        Publish(Pki.PemOf(oldRoot));
        await using var newServer = await TlsServer.StartAsync(Pki.Server(newRoot, Host));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(Path.Combine(_volume, "ca.crt")));
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();
        var kept = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");
        (await LoopbackClient.TryGetAsync(kept, newServer.Url(Host))).Body.Should().BeNull();

        Publish(Pki.PemOf(newRoot));

        (await Until(async () => (await LoopbackClient.TryGetAsync(kept, newServer.Url(Host))).Body == "ok")).Should().BeLessThan(Deadline);
    }
}
