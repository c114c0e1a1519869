using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrivateCa.Integration.Internal;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

/// <summary>An mTLS client certificate replaced on disk (as cert-manager does) is presented on new connections; an unusable one is not.</summary>
public sealed class ClientCertificateRotationTests : IDisposable
{
    private const string Host = "model.internal";
    private static readonly TimeSpan Deadline = FileWatch.Debounce + TimeSpan.FromSeconds(9);
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("mTLS Server Root");
    private readonly X509Certificate2 _clientCa = Pki.Root("mTLS Client CA");
    private readonly string _certificatePath;
    private readonly string _keyPath;

    public ClientCertificateRotationTests()
    {
        _certificatePath = _dir.File("tls.crt");
        _keyPath = _dir.File("tls.key");
    }

    public void Dispose() => _dir.Dispose();

    private X509Certificate2 Client(string name) => Pki.Issue(name, _clientCa, new Pki.Spec { Eku = ["1.3.6.1.5.5.7.3.2"] });

    /// <summary>Writes the pair as cert-manager's Secret volume would hold it, each file replaced whole.</summary>
    private void Write(X509Certificate2 certificate, X509Certificate2? keyOf = null)
    {
        File.WriteAllText(_keyPath + ".tmp", (keyOf ?? certificate).GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(_certificatePath + ".tmp", certificate.ExportCertificatePem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_keyPath + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(_keyPath + ".tmp", _keyPath, overwrite: true);
        File.Move(_certificatePath + ".tmp", _certificatePath, overwrite: true);
    }

    private ServiceProvider Provider()
    {
        var bundle = _dir.Write("ca.pem", Pki.PemOf(_root));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(bundle);
            o.ClientCertificatePath = _certificatePath;
            o.ClientKeyPath = _keyPath;
        });
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        return services.Build();
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            clock.Elapsed.Should().BeLessThan(Deadline, "the change should have been noticed by then");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task ClientCertificateReplacedOnDisk_IsPresentedOnNewConnections()
    {
        var issuing = Pki.Intermediate("mTLS Server Issuing", _root);
        await using var server = await TlsServer.StartAsync(Pki.Server(issuing, Host), [issuing], requireClientCertificateFrom: _clientCa);
        Write(Client("client-one"));
        await using var provider = Provider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        (await LoopbackClient.TryGetAsync(client, server.Url(Host))).Body.Should().Be("ok");
        server.LastClientCertificate.Should().Be("CN=client-one");

        Write(Client("client-two"));
        await Until(async () => (await LoopbackClient.TryGetAsync(client, server.Url(Host))).Body == "ok" && server.LastClientCertificate == "CN=client-two");

        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Name == "ClientCertificateApplied" && r.Message.Contains("CN=client-two", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientCertificateReplacedByUnusablePair_KeepsTheLastGood()
    {
        var issuing = Pki.Intermediate("mTLS Kept Issuing", _root);
        await using var server = await TlsServer.StartAsync(Pki.Server(issuing, Host), [issuing], requireClientCertificateFrom: _clientCa);
        Write(Client("client-good"));
        await using var provider = Provider();
        var source = provider.GetRequiredService<PrivateCaTrustRegistry>().StateFor("model").Certificate!;

        Write(Client("client-new"), keyOf: Client("someone-else"));
        var mismatched = source.TryReload();
        File.WriteAllText(_certificatePath, "-----BEGIN CERTIFICATE-----\nMIIB");
        var halfWritten = source.TryReload();

        mismatched.Should().Be("rejected");
        halfWritten.Should().Be("rejected");
        source.Current!.Certificate.Subject.Should().Be("CN=client-good");
        (await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient("model"), server.Url(Host))).Body.Should().Be("ok");
        server.LastClientCertificate.Should().Be("CN=client-good");
        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Name == "ClientCertificateRejected" && r.Message.Contains("keeps presenting 'CN=client-good'", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ClientKeyReadableByOthers_IsWarnedAbout()
    {
        Write(Client("client-open"));
        File.SetUnixFileMode(_keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var provider = Provider();

        provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");

        provider.GetFakeLogCollector().GetSnapshot().Should().ContainSingle(r => r.Id.Id == 16)
            .Which.Message.Should().Contain(_keyPath).And.Contain("644").And.Contain("defaultMode: 0400");
    }

    [Fact]
    public void ClientKeyFileOverTheSizeLimit_IsRejectedWithoutReadingItAll()
    {
        Write(Client("client-big"));
        File.WriteAllText(_keyPath, new string('A', 65 * 1024));

        var act = () => PrivateCa.Trust.Internal.ClientCertificate.Load(_certificatePath, _keyPath);

        act.Should().Throw<CertificateBundleException>().WithMessage($"*'{_keyPath}' (ClientKeyPath) is 66,560 bytes, over the 65,536-byte limit*");
    }
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ClientKeyPathIsAPipe_IsRejectedWithoutBlocking()
    {
        Write(Client("client-pipe"));
        File.Delete(_keyPath);
        using (var mkfifo = Process.Start("mkfifo", ["-m", "600", _keyPath]))
        {
            await mkfifo.WaitForExitAsync();
            mkfifo.ExitCode.Should().Be(0);
        }

        var load = Task.Run(() => PrivateCa.Trust.Internal.ClientCertificate.Load(_certificatePath, _keyPath));
        try
        {
            var act = () => load.WaitAsync(TimeSpan.FromSeconds(10));

            (await act.Should().ThrowAsync<CertificateBundleException>()).WithMessage($"*'{_keyPath}' (ClientKeyPath) is empty*pipe*");
        }
        finally
        {
            if (!load.IsCompleted)
            {
                // Release the reader blocked in open(2).
                using var writer = new FileStream(_keyPath, FileMode.Open, FileAccess.Write);
            }
        }
    }

    [Fact]
    public async Task ConfigurationReload_ClientCertificatePathThatCannotLoad_KeepsTheLastGoodPair()
    {
        var issuing = Pki.Intermediate("mTLS Reload Issuing", _root);
        await using var server = await TlsServer.StartAsync(Pki.Server(issuing, Host), [issuing], requireClientCertificateFrom: _clientCa);
        Write(Client("client-configured"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PrivateCa:BundlePaths:0"] = _dir.Write("ca.pem", Pki.PemOf(_root)),
            ["PrivateCa:ClientCertificatePath"] = _certificatePath,
            ["PrivateCa:ClientKeyPath"] = _keyPath,
        }).Build();
        var services = ServiceHarness.Services();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddHttpClient("model").AddPrivateCaTrust();
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");
        (await LoopbackClient.TryGetAsync(client, server.Url(Host))).Body.Should().Be("ok");

        configuration["PrivateCa:ClientCertificatePath"] = _dir.File("not-there.crt");
        configuration["PrivateCa:ClientKeyPath"] = _dir.File("not-there.key");
        configuration.Reload();
        var after = await LoopbackClient.TryGetAsync(client, server.Url(Host));

        after.Body.Should().Be("ok", "a reload naming a client certificate that cannot load is rejected, and the last good pair is presented");
        server.LastClientCertificate.Should().Be("CN=client-configured");
        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Name == "OptionsRejected" && r.Message.Contains("not-there.crt", StringComparison.Ordinal));
    }
}
