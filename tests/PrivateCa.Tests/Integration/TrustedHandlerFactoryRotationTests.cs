using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Integration.Internal;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

/// <summary>
/// <see cref="TrustedHandlerFactory"/> follows its bundle on disk as the IHttpClientFactory path does, for apps without
/// dependency injection (console tools, gRPC channels, the AOT sample): handlers it already made see the new trust on their
/// next handshake, a bad new bundle leaves the last good one in force, and a disposed factory stops following.
/// </summary>
public sealed class TrustedHandlerFactoryRotationTests : IDisposable
{
    private const string Host = "model.internal";
    private static readonly TimeSpan Deadline = FileWatch.Debounce + TimeSpan.FromSeconds(9);
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _oldRoot = Pki.Root("Factory Old Root");
    private readonly X509Certificate2 _newRoot = Pki.Root("Factory New Root");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Factory_BundleReplacedOnDisk_HandlersAlreadyMadeTrustTheNewCa()
    {
        var bundle = _dir.Write("ca.pem", Pki.PemOf(_oldRoot));
        using var factory = Factory(bundle);
        using var sockets = LoopbackClient.For(factory.CreateSocketsHttpHandler());
        using var classic = new HttpClient(factory.CreateHttpClientHandler());
        await using var server = await TlsServer.StartAsync(Pki.Issue(Host, _newRoot, new Pki.Spec { DnsNames = [Host, "localhost"], Eku = ["1.3.6.1.5.5.7.3.1"] }));
        (await Trusts(sockets, server.Url(Host))).Should().BeFalse();

        Replace(bundle, Pki.PemOf(_newRoot));

        await Until(() => Trusts(sockets, server.Url(Host)));
        await Until(() => Trusts(classic, server.Url("localhost")));
    }

    [Fact]
    public async Task Factory_WithALoggerFactory_LogsAsTheDiPathDoes()
    {
        var bundle = _dir.Write("ca.pem", Pki.PemOf(_oldRoot));
        await using var provider = ServiceHarness.Services().Build();
        using var factory = new TrustedHandlerFactory(new PrivateCaTrustOptions { BundlePaths = { bundle } }, provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>());
        using var client = LoopbackClient.For(factory.CreateSocketsHttpHandler());
        await using var server = await TlsServer.StartAsync(Pki.Server(_newRoot, Host));

        await LoopbackClient.TryGetAsync(client, server.Url(Host));
        Replace(bundle, "not a bundle");
        await Until(() => Task.FromResult(provider.GetFakeLogCollector().GetSnapshot().Any(r => r.Id.Name == "ReloadRejected")));

        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Name == "HandshakeRejected" && r.Message.Contains(Host, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Factory_BadNewBundle_LastGoodStaysInForce()
    {
        var bundle = _dir.Write("ca.pem", Pki.PemOf(_oldRoot));
        using var factory = Factory(bundle);
        using var client = LoopbackClient.For(factory.CreateSocketsHttpHandler());
        await using var server = await TlsServer.StartAsync(Pki.Server(_oldRoot, Host));
        var loads = factory.LoadCount;

        Replace(bundle, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        await Until(() => Task.FromResult(factory.LoadCount > loads));
        (await Trusts(client, server.Url(Host))).Should().BeTrue("the rejected bundle never replaced the last good one");
    }

    [Fact]
    public async Task Factory_OptionsObjectReusedForAnotherFactory_FirstFactoryKeepsItsOwnBundle()
    {
        var oldBundle = _dir.Write("old.pem", Pki.PemOf(_oldRoot));
        var newBundle = _dir.Write("new.pem", Pki.PemOf(_newRoot));
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(oldBundle);
        using var first = new TrustedHandlerFactory(options);
        options.BundlePaths.Clear();
        options.BundlePaths.Add(newBundle);
        using var second = new TrustedHandlerFactory(options);
        using var client = LoopbackClient.For(first.CreateSocketsHttpHandler());
        await using var server = await TlsServer.StartAsync(Pki.Server(_newRoot, Host));
        var loads = first.LoadCount;

        // A change in the first factory's folder makes it decide its sources again.
        Replace(oldBundle, Pki.PemOf(_oldRoot, Pki.Root("Factory Unrelated Root")));
        await Until(() => Task.FromResult(first.LoadCount > loads));

        (await Trusts(client, server.Url(Host))).Should().BeFalse("the first factory still trusts only its own bundle");
    }

    [Fact]
    public void CreateSocketsHttpHandler_PooledConnectionsLiveTwoMinutes_AsOnTheDependencyInjectionPath()
    {
        using var factory = Factory(_dir.Write("ca.pem", Pki.PemOf(_oldRoot)));

        using var handler = factory.CreateSocketsHttpHandler();

        // A connection is judged once; bounding its life is what makes a rotation reach every request.
        handler.PooledConnectionLifetime.Should().Be(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Factory_Disposed_HandlersKeepTheLastTrust()
    {
        var bundle = _dir.Write("ca.pem", Pki.PemOf(_oldRoot));
        var factory = Factory(bundle);
        using var client = LoopbackClient.For(factory.CreateSocketsHttpHandler());
        await using var server = await TlsServer.StartAsync(Pki.Server(_oldRoot, Host));

        factory.Dispose();
        factory.Dispose();

        (await Trusts(client, server.Url(Host))).Should().BeTrue();
    }

    private static TrustedHandlerFactory Factory(string bundle)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(bundle);
        return new TrustedHandlerFactory(options);
    }

    /// <summary>Replaces the file in one rename, as a deployment tool would.</summary>
    private void Replace(string path, string content)
    {
        var temporary = _dir.Write($"{Guid.NewGuid():N}.tmp", content);
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task<bool> Trusts(HttpClient client, Uri url) => (await LoopbackClient.TryGetAsync(client, url)).Body == "ok";

    private static async Task Until(Func<Task<bool>> condition)
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
    }
}
