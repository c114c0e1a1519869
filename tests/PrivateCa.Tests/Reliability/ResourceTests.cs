using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PrivateCa.Tests.Reliability;

[Trait("Category", "Reliability")]
public sealed class ResourceTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void HandlerCreation_ManyTimes_NoHandlerIsKeptAlive()
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add("/etc/ssl/certs/ca-certificates.crt");
        using var factory = new TrustedHandlerFactory(options);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var handlers = Create(factory, ReliabilityScale.HandlerCreations);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Weak references, not the process's heap size: other test classes allocate in parallel with this one.
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{ReliabilityScale.HandlerCreations} x 2 handlers: managed heap {heapBefore / 1024} KiB -> {heapAfter / 1024} KiB (process-wide)");
        handlers.Count(h => h.IsAlive).Should().Be(0, "neither the factory nor its trust source may keep a disposed handler alive");
    }

    /// <summary>Makes and disposes handlers of both kinds, returning only weak references to them (a separate method, so no
    /// local of this frame keeps one alive).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static List<WeakReference> Create(TrustedHandlerFactory factory, int count)
    {
        var handlers = new List<WeakReference>(count * 2);
        for (var i = 0; i < count; i++)
        {
            var sockets = factory.CreateSocketsHttpHandler();
            var classic = factory.CreateHttpClientHandler();
            handlers.Add(new WeakReference(sockets));
            handlers.Add(new WeakReference(classic));
            sockets.Dispose();
            classic.Dispose();
        }

        return handlers;
    }

    [Fact]
    public async Task OnlineRevocation_CrlEndpointThatNeverAnswers_FinishesWithinTheBoundAndRejects()
    {
        // A CRL endpoint on 127.0.0.1 that accepts the connection and then says nothing.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = new List<Socket>();
        var acceptLoop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await silent.AcceptSocketAsync());
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        });

        var root = OpenSslCa.Root(_dir, "Revocation Root");
        var leaf = root.Issue("crl.internal",
            $"extendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:crl.internal\ncrlDistributionPoints=URI:http://127.0.0.1:{port}/root.crl");
        var options = new PrivateCaTrustOptions { UseEnvironment = false, RevocationMode = X509RevocationMode.Online };
        options.BundlePaths.Add(root.Certificate);
        var validator = new CustomRootTrustValidator(options);

        var clock = Stopwatch.StartNew();
        var verdict = validator.Validate(X509CertificateLoader.LoadCertificateFromFile(leaf), [], "crl.internal");
        clock.Stop();
        silent.Stop();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }

        output.WriteLine($"Online revocation against a silent CRL endpoint: {clock.Elapsed.TotalSeconds:0.00} s, {verdict.Failure}: {verdict.Summary}");
        verdict.IsTrusted.Should().BeFalse();
        verdict.Failure.Should().Be(TrustFailure.Revocation);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5 + 3), "each CRL fetch is bounded by 5 s and this chain has one");
        await acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
