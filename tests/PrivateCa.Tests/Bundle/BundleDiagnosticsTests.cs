using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Bundle;

public sealed class BundleDiagnosticsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IReadOnlyList<BundleDiagnostic> Diagnose(X509Certificate2 certificate, TimeProvider? time = null) =>
        CertificateBundleLoader.LoadPem(certificate.Pem(), "memory", new BundleLoadOptions { TimeProvider = time ?? TimeProvider.System }).Diagnostics;

    [Fact]
    public void Load_WellFormedRoot_ReportsNothing()
    {
        Diagnose(TestPki.CreateRoot("Clean Root")).Should().BeEmpty();
    }

    [Fact]
    public void Load_ExpiredRoot_ReportsExpiredByTheGivenClock()
    {
        var root = TestPki.CreateRoot("Expiring Root", notAfter: new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var later = new FakeTimeProvider(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Diagnose(root).Should().NotContain(d => d.Code == BundleDiagnosticCode.Expired);
        var expired = Diagnose(root, later).Should().ContainSingle(d => d.Code == BundleDiagnosticCode.Expired).Subject;
        expired.CertificateSubject.Should().Be("CN=Expiring Root");
        expired.Message.Should().Contain("2030-01-01");
    }

    [Fact]
    public void Load_FutureRoot_ReportsNotYetValid()
    {
        var root = TestPki.CreateRoot("Future Root", notBefore: DateTimeOffset.UtcNow.AddDays(10), notAfter: DateTimeOffset.UtcNow.AddDays(100));

        Diagnose(root).Should().ContainSingle(d => d.Code == BundleDiagnosticCode.NotYetValid);
    }

    [Fact]
    public void Load_LeafInTrustBundle_ReportsNotACertificateAuthority()
    {
        var leaf = TestPki.CreateRoot("Leaf", isCa: false, keyUsage: X509KeyUsageFlags.DigitalSignature);

        Diagnose(leaf).Should().ContainSingle(d => d.Code == BundleDiagnosticCode.NotCertificateAuthority)
            .Which.Message.Should().Contain("CA:false");
    }

    [Fact]
    public void Load_OpenSslRootWithoutBasicConstraints_ReportsNotACertificateAuthority()
    {
        var (certificate, _) = OpenSsl.CreateRoot(_dir, "No BC", "-addext", "basicConstraints=critical,CA:FALSE");

        CertificateBundleLoader.Load(certificate).Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.NotCertificateAuthority);
    }

    [Fact]
    public void Load_OpenSslCaWithNonCriticalBasicConstraints_ReportsIt()
    {
        // 'openssl req -x509' writes basicConstraints=CA:TRUE without critical by default: the Python 3.13 breakage.
        var (certificate, _) = OpenSsl.CreateRoot(_dir, "Legacy CA", "-addext", "basicConstraints=CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");

        CertificateBundleLoader.Load(certificate).Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.BasicConstraintsNotCritical)
            .Which.Message.Should().Contain("Python 3.13");
    }

    [Fact]
    public void Load_CaWithoutKeyCertSign_ReportsIt()
    {
        Diagnose(TestPki.CreateRoot("No Sign", keyUsage: X509KeyUsageFlags.DigitalSignature))
            .Should().ContainSingle(d => d.Code == BundleDiagnosticCode.NoKeyCertSign).Which.Message.Should().Contain("lacks keyCertSign");
        Diagnose(TestPki.CreateRoot("No KU", keyUsage: null))
            .Should().ContainSingle(d => d.Code == BundleDiagnosticCode.NoKeyCertSign).Which.Message.Should().Contain("without a keyUsage");
    }

    [Fact]
    public void Load_Rsa1024Root_ReportsWeakKey()
    {
        var weak = TestPki.CreateRsaRoot("Small Key", 1024, HashAlgorithmName.SHA256);

        Diagnose(weak).Should().ContainSingle(d => d.Code == BundleDiagnosticCode.WeakRsaKey).Which.Message.Should().Contain("1024-bit");
    }

    [Fact]
    public void Load_Sha1Signatures_ReportedAsWarningUnlessSelfSigned()
    {
        var root = OpenSsl.CreateRoot(_dir, "Sha1 Root", "-sha1");
        var (issuerCert, issuerKey) = OpenSsl.CreateRoot(_dir, "Issuer");
        OpenSsl.Run(_dir.Path, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "sub.key", "-out", "sub.csr", "-subj", "/CN=Sha1 Sub CA");
        var extensions = _dir.Write("ext.cnf", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n");
        OpenSsl.Run(_dir.Path, "x509", "-req", "-in", "sub.csr", "-CA", issuerCert, "-CAkey", issuerKey, "-CAcreateserial", "-sha1", "-days", "30", "-extfile", extensions, "-out", "sub.pem");

        var rootDiagnostic = CertificateBundleLoader.Load(root.Certificate).Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.WeakSignatureAlgorithm).Subject;
        var subDiagnostic = CertificateBundleLoader.Load(_dir.File("sub.pem")).Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.WeakSignatureAlgorithm).Subject;

        rootDiagnostic.Severity.Should().Be(BundleDiagnosticSeverity.Information);
        subDiagnostic.Severity.Should().Be(BundleDiagnosticSeverity.Warning);
        subDiagnostic.Message.Should().Contain("SHA-1");
    }

    [Fact]
    public void Load_TwoRootsWithOneSubject_ReportsDuplicateSubject()
    {
        var first = TestPki.CreateRoot("Rekeyed Root");
        var second = TestPki.CreateRoot("Rekeyed Root");

        var bundle = CertificateBundleLoader.LoadPem(TestPki.Pem(first, second), "memory");

        bundle.Count.Should().Be(2);
        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.DuplicateSubject)
            .Which.CertificateSha256.Should().Be(second.Sha256());
    }

    [Fact]
    public void Warnings_ForTheStartUpLog_AreExactlyTheWarningsOfDiagnostics_WithoutWordingTheRest()
    {
        // The start-up log words only warnings (skipping the Strict-rule walk of every CA); it must not lose or add one.
        var sha1Root = File.ReadAllText(OpenSsl.CreateRoot(_dir, "Sha1 Root", "-sha1").Certificate);
        var pem = TestPki.Pem(
            TestPki.CreateRoot("Rekeyed Root"), TestPki.CreateRoot("Rekeyed Root"),
            TestPki.CreateRoot("No KU", keyUsage: null),
            TestPki.CreateRsaRoot("Small Key", 1024, HashAlgorithmName.SHA256),
            TestPki.CreateRoot("Expired Root", notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1)),
            TestPki.CreateRoot("Clean Root"))
            + sha1Root
            + "-----BEGIN X509 CRL-----\n-----END X509 CRL-----\n";

        var expected = CertificateBundleLoader.LoadPem(pem, "memory").Diagnostics;
        var warnings = CertificateBundleLoader.LoadPem(pem, "memory").Warnings().ToList();

        expected.Should().Contain(d => d.Severity == BundleDiagnosticSeverity.Information, "the bundle has information findings to leave out");
        warnings.Select(d => d.Message).Should().Equal(expected.Where(d => d.Severity >= BundleDiagnosticSeverity.Warning).Select(d => d.Message));
        warnings.Should().HaveCountGreaterThanOrEqualTo(4);
    }
}
