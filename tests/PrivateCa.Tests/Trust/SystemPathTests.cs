using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;
using PrivateCa.Tests.Infrastructure;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// What PrivateCa adds applies on the system path too: a chain the system's trusted roots accept still has to meet the
/// pins, the security floor and Strict. The system root is a test root added to the user's own root store (the store
/// .NET on Linux trusts besides the OS bundle) for the duration of one test, and removed after it.
/// </summary>
[Collection(nameof(SystemPathTests))]
public sealed class SystemPathTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _systemRoot = Pki.Root($"PrivateCa Test System Root {Guid.NewGuid():N}");
    private readonly X509Store _store = new(StoreName.Root, StoreLocation.CurrentUser);

    public SystemPathTests()
    {
        _store.Open(OpenFlags.ReadWrite);
        using var publicOnly = X509CertificateLoader.LoadCertificate(_systemRoot.RawData);
        _store.Add(publicOnly);
    }

    public void Dispose()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_systemRoot.RawData);
        _store.Remove(publicOnly);
        _store.Dispose();
        _dir.Dispose();
    }

    private PrivateCaTrustOptions Options()
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false, Mode = TrustMode.SystemAndCustomRoots };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(Pki.Root("Bundle Root"))));
        return options;
    }

    [Fact]
    public void Validate_SystemTrustedChainWithoutPin_Trusted()
    {
        var verdict = new CustomRootTrustValidator(Options()).Validate(Pki.Server(_systemRoot, Host), [], Host);

        verdict.IsTrusted.Should().BeTrue(verdict.Reason);
        verdict.Summary.Should().Contain("system's trusted roots");
    }

    [Fact]
    public void Validate_SystemTrustedChainAgainstPin_PinMismatch()
    {
        var options = Options();
        options.PinnedSpkiSha256.Add(Pki.SpkiPin(Pki.Root("Pinned Key")));

        var verdict = new CustomRootTrustValidator(options).Validate(Pki.Server(_systemRoot, Host), [], Host);

        verdict.Failure.Should().Be(TrustFailure.PinMismatch);
    }

    [Fact]
    public async Task Handshake_SystemTrustedChainAgainstPin_Rejected()
    {
        var options = Options();
        options.PinnedSpkiSha256.Add(Pki.SpkiPin(Pki.Root("Pinned Key")));
        await using var server = await RawTlsServer.StartAsync(Pki.Server(_systemRoot, Host));
        using var client = LoopbackClient.For(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());

        var (body, error) = await LoopbackClient.TryGetAsync(client, server.Url(Host));

        body.Should().BeNull();
        error!.InnerException.Should().BeOfType<CertificateTrustException>().Which.Failure.Should().Be(TrustFailure.PinMismatch);
    }

    [Fact]
    public void Validate_NodeExtraCaCertsOnlyAndPin_PinMismatch()
    {
        var path = _dir.Write("extra.pem", Pki.PemOf(Pki.Root("Node Extra Root")));
        var options = new PrivateCaTrustOptions();
        options.PinnedSpkiSha256.Add(Pki.SpkiPin(Pki.Root("Pinned Key")));
        var snapshot = TrustSnapshot.Load(TrustSources.Resolve(options, name => name == "NODE_EXTRA_CA_CERTS" ? path : null), new BundleLoadOptions());
        snapshot.Bundle.ExtendsSystemTrust.Should().BeTrue();
        var validator = new CustomRootTrustValidator(new TrustEngine(options, () => snapshot));

        var verdict = validator.Validate(Pki.Server(_systemRoot, Host), [], Host);

        verdict.Failure.Should().Be(TrustFailure.PinMismatch);
    }

    [Fact]
    public void Validate_StrictOnSystemTrustedChainBreakingARule_StrictProfile()
    {
        var options = Options();
        options.Profile = ValidationProfile.Strict;
        var leaf = Pki.Issue(Host, _systemRoot, new Pki.Spec { DnsNames = [Host], Eku = ["1.3.6.1.5.5.7.3.1"], KeyUsage = System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.DigitalSignature, SanCritical = true });

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, [], Host);

        verdict.Failure.Should().Be(TrustFailure.StrictProfile, verdict.Reason);
    }
}
