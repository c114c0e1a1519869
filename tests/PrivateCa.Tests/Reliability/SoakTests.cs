using Microsoft.Extensions.DependencyInjection;
using PrivateCa.Integration.Internal;
using PrivateCa.Tests.Infrastructure;
using PrivateCa.Tests.Integration;
using Xunit.Abstractions;

namespace PrivateCa.Tests.Reliability;

/// <summary>
/// 64 concurrent clients, each request a new TLS handshake, while the bundle rotates: the server whose CA is in
/// every version of the bundle is never refused, and the one whose CA is in none is never accepted.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class SoakTests(ITestOutputHelper output) : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Soak_ConcurrentClientsDuringRotation_NoWrongVerdicts()
    {
        var stable = Pki.Root("Soak Stable Root");
        var extras = new[] { Pki.Root("Soak Extra A"), Pki.Root("Soak Extra B") };
        var never = Pki.Root("Soak Never Root");
        var bundle = _dir.Write("soak.pem", Pki.PemOf(stable, extras[0]));
        await using var trusted = await TlsServer.StartAsync(Pki.Server(stable, Host));
        await using var untrusted = await TlsServer.StartAsync(Pki.Server(never, Host));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o => o.BundlePaths.Add(bundle));
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");
        (await LoopbackClient.TryGetAsync(client, trusted.Url(Host))).Body.Should().Be("ok");
        var source = provider.GetRequiredService<TrustSourceCache>().Sources.Single();

        var remaining = ReliabilityScale.SoakRequests;
        var wronglyRefused = 0;
        var wronglyAccepted = 0;
        var completed = 0;
        var rotations = 0;
        using var done = new CancellationTokenSource();
        var rotator = Task.Run(async () =>
        {
            var interval = ReliabilityScale.SoakRequests / (ReliabilityScale.SoakRotations + 1);
            while (rotations < ReliabilityScale.SoakRotations && !done.IsCancellationRequested)
            {
                if (Volatile.Read(ref completed) < (rotations + 1) * interval)
                {
                    await Task.Yield();
                    continue;
                }

                // Atomic replace, then the reload the watcher would schedule.
                File.WriteAllText(bundle + ".tmp", Pki.PemOf(stable, extras[(rotations + 1) % 2]));
                File.Move(bundle + ".tmp", bundle, overwrite: true);
                source.TryReload().Should().Be("applied");
                rotations++;
            }
        });

        var clients = Enumerable.Range(0, ReliabilityScale.SoakClients).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var toTrusted = Random.Shared.Next(4) != 0;
                var (body, _) = await LoopbackClient.TryGetAsync(client, (toTrusted ? trusted : untrusted).Url(Host));
                if (toTrusted && body != "ok")
                {
                    Interlocked.Increment(ref wronglyRefused);
                }
                else if (!toTrusted && body is not null)
                {
                    Interlocked.Increment(ref wronglyAccepted);
                }

                Interlocked.Increment(ref completed);
            }
        })).ToArray();
        await Task.WhenAll(clients);
        await done.CancelAsync();
        await rotator;

        output.WriteLine($"{completed} requests from {ReliabilityScale.SoakClients} clients, {rotations} rotations, {source.LoadCount} loads: {wronglyRefused} wrongly refused, {wronglyAccepted} wrongly accepted");
        completed.Should().Be(ReliabilityScale.SoakRequests);
        rotations.Should().Be(ReliabilityScale.SoakRotations);
        wronglyRefused.Should().Be(0);
        wronglyAccepted.Should().Be(0);
    }
}
