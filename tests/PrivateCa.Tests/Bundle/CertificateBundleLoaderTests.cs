using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Bundle;

public sealed class CertificateBundleLoaderTests : IDisposable
{
    private const string DebianBundle = "/etc/ssl/certs/ca-certificates.crt";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_DebianBundle_LoadsEveryCertificateWithoutErrors()
    {
        var expected = File.ReadLines(DebianBundle).Count(l => l.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal));

        var bundle = CertificateBundleLoader.Load(DebianBundle);

        expected.Should().BeGreaterThan(100);
        bundle.Count.Should().Be(expected);
        bundle.Sources.Should().Equal(DebianBundle);
        bundle.Diagnostics.Should().NotContain(d => d.Severity == BundleDiagnosticSeverity.Error);
        bundle.Diagnostics.Should().NotContain(d => d.Code == BundleDiagnosticCode.DuplicateCertificate);
    }

    [Fact]
    public void Load_DebianBundle_CertificatesMatchThePlatformDecoder()
    {
        var platform = new X509Certificate2Collection();
        platform.ImportFromPemFile(DebianBundle);

        var bundle = CertificateBundleLoader.Load(DebianBundle);

        bundle.Certificates.Select(c => c.Sha256()).Should().Equal(platform.Select(c => c.Sha256()));
    }

    [Fact]
    public void Load_OpenSslDerCertificate_LoadsIt()
    {
        var (pem, _) = OpenSsl.CreateRoot(_dir, "Der Root");
        var der = _dir.File("root.der");
        OpenSsl.Run(_dir.Path, "x509", "-in", pem, "-outform", "DER", "-out", der);

        var bundle = CertificateBundleLoader.Load(der);

        bundle.Count.Should().Be(1);
        bundle.Certificates[0].Subject.Should().Be("CN=Der Root");
        bundle.Sources.Should().Equal(der);
    }

    [Fact]
    public void Load_PemWithCrlfBomTrailingSpacesAndComments_LoadsEveryBlock()
    {
        var a = OpenSsl.CreateRoot(_dir, "Crlf Root A").Certificate;
        var b = OpenSsl.CreateRoot(_dir, "Crlf Root B").Certificate;
        var text = "# Issuer: CN=Crlf Root A\n# Label: \"A\"\n" + File.ReadAllText(a) + "\n# Issuer: CN=Crlf Root B\n\n" + File.ReadAllText(b);
        var crlf = string.Join("\r\n", text.Split('\n').Select(l => l + "  "));
        var path = _dir.Write("crlf.pem", [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(crlf)]);

        var bundle = CertificateBundleLoader.Load(path);

        bundle.Certificates.Select(c => c.Subject).Should().Equal("CN=Crlf Root A", "CN=Crlf Root B");
    }

    [Theory]
    [InlineData("DER")]
    [InlineData("PEM")]
    public void Load_OpenSslPkcs7Bag_LoadsEveryCertificate(string form)
    {
        var a = OpenSsl.CreateRoot(_dir, "P7 Root A").Certificate;
        var b = OpenSsl.CreateRoot(_dir, "P7 Root B").Certificate;
        var bag = _dir.File("bag.p7b");
        OpenSsl.Run(_dir.Path, "crl2pkcs7", "-nocrl", "-certfile", a, "-certfile", b, "-outform", form, "-out", bag);

        var bundle = CertificateBundleLoader.Load(bag);

        bundle.Certificates.Select(c => c.Subject).Should().BeEquivalentTo("CN=P7 Root A", "CN=P7 Root B");
    }

    [Fact]
    public void Load_BundleWithPrivateKeyBlock_SkipsTheKeyAndNeverShowsIt()
    {
        var (certificate, key) = OpenSsl.CreateRoot(_dir, "Key Root");
        var keyText = File.ReadAllText(key);
        var path = _dir.Write("with-key.pem", File.ReadAllText(certificate) + keyText);
        var keyBase64 = keyText.Split('\n')[1];

        var bundle = CertificateBundleLoader.Load(path);

        bundle.Count.Should().Be(1);
        var diagnostic = bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.PrivateKeyBlock).Subject;
        diagnostic.Severity.Should().Be(BundleDiagnosticSeverity.Warning);
        diagnostic.Line.Should().BeGreaterThan(1);
        diagnostic.Message.Should().Contain(path).And.Contain("private-key block");
        bundle.Diagnostics.Should().NotContain(d => d.Message.Contains(keyBase64, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TrustedCertificateForServerAuth_LoadsItAndReportsTheTrustSettings()
    {
        var root = OpenSsl.CreateRoot(_dir, "Trusted Root").Certificate;
        var trusted = _dir.File("trusted.pem");
        OpenSsl.Run(_dir.Path, "x509", "-in", root, "-trustout", "-addtrust", "serverAuth", "-out", trusted);
        File.ReadAllText(trusted).Should().Contain("BEGIN TRUSTED CERTIFICATE");

        var bundle = CertificateBundleLoader.Load(trusted);

        bundle.Certificates.Select(c => c.Subject).Should().Equal("CN=Trusted Root");
        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.OpenSslTrustSettings && d.Severity == BundleDiagnosticSeverity.Information);
    }

    [Theory]
    [InlineData("-addreject", "serverAuth")]
    [InlineData("-addtrust", "clientAuth")]
    public void Load_TrustedCertificateNotForServerAuth_IsNotLoadedEvenIfAlsoPresentPlain(string flag, string purpose)
    {
        var root = OpenSsl.CreateRoot(_dir, "Restricted Root").Certificate;
        var other = OpenSsl.CreateRoot(_dir, "Other Root").Certificate;
        var trusted = _dir.File("restricted.pem");
        OpenSsl.Run(_dir.Path, "x509", "-in", root, "-trustout", flag, purpose, "-out", trusted);
        var path = _dir.Write("mixed.pem", File.ReadAllText(other) + File.ReadAllText(trusted) + File.ReadAllText(root));

        var bundle = CertificateBundleLoader.Load(path);

        bundle.Certificates.Select(c => c.Subject).Should().Equal("CN=Other Root");
        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.OpenSslTrustSettings && d.Severity == BundleDiagnosticSeverity.Warning)
            .Which.Message.Should().Contain("not trusted for server authentication");
    }

    [Fact]
    public void Load_KubernetesVolume_ReadsEachKeyOnce()
    {
        var volume = Directory.CreateDirectory(_dir.File("volume")).FullName;
        var a = TestPki.CreateRoot("K8s Root A");
        var b = TestPki.CreateRoot("K8s Root B");
        var timestamped = Path.Combine(volume, "..2026_11_28_10_00_00.123456789");
        Directory.CreateDirectory(timestamped);
        File.WriteAllText(Path.Combine(timestamped, "ca.crt"), a.Pem());
        File.WriteAllText(Path.Combine(timestamped, "extra.pem"), b.Pem());
        File.CreateSymbolicLink(Path.Combine(volume, "..data"), Path.GetFileName(timestamped));
        File.CreateSymbolicLink(Path.Combine(volume, "ca.crt"), "..data/ca.crt");
        File.CreateSymbolicLink(Path.Combine(volume, "extra.pem"), "..data/extra.pem");

        var bundle = CertificateBundleLoader.Load(volume);

        bundle.Certificates.Select(c => c.Subject).Should().Equal("CN=K8s Root A", "CN=K8s Root B");
        bundle.Sources.Should().Equal(Path.Combine(volume, "ca.crt"), Path.Combine(volume, "extra.pem"));
        bundle.Diagnostics.Should().NotContain(d => d.Code == BundleDiagnosticCode.DuplicateCertificate);
    }

    [Fact]
    public void Load_DirectoryTree_ReadsCertificateFilesRecursivelyAndReportsOthers()
    {
        var roots = Enumerable.Range(0, 5).Select(i => TestPki.CreateRoot($"Tree Root {i}")).ToArray();
        _dir.Write("more-certs/a.pem", roots[0].Pem());
        _dir.Write("more-certs/b.crt", roots[1].Pem());
        _dir.Write("more-certs/nested/c.cer", roots[2].RawData);
        _dir.Write("more-certs/nested/deeper/d.der", roots[3].RawData);
        _dir.Write("more-certs/1a2b3c4d.0", roots[4].Pem());
        var readme = _dir.Write("more-certs/README.txt", "not a certificate");

        var bundle = CertificateBundleLoader.Load(_dir.File("more-certs"));

        bundle.Count.Should().Be(5);
        bundle.Certificates.Select(c => c.Sha256()).Should().BeEquivalentTo(roots.Select(r => r.Sha256()));
        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.SkippedFile).Which.Source.Should().Be(readme);
    }

    [Fact]
    public void Load_SameCertificateTwice_LoadsItOnceAndReportsTheDuplicate()
    {
        var root = TestPki.CreateRoot("Twice Root");
        var first = _dir.Write("first.pem", root.Pem());
        var second = _dir.Write("second.pem", TestPki.Pem(TestPki.CreateRoot("Other"), root));

        var bundle = CertificateBundleLoader.Load([first, second]);

        bundle.Count.Should().Be(2);
        bundle.SourceDetails.Select(s => s.CertificateCount).Should().Equal(1, 1);
        var duplicate = bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.DuplicateCertificate).Subject;
        duplicate.Source.Should().Be(second);
        duplicate.Line.Should().Be(root.Pem().Split('\n').Length);
        duplicate.CertificateSha256.Should().Be(root.Sha256());
        duplicate.Message.Should().Contain(first);
    }

    [Fact]
    public void LoadPem_TextInMemory_NamesTheSourceInSources()
    {
        var root = TestPki.CreateRoot("Memory Root");

        var bundle = CertificateBundleLoader.LoadPem(root.Pem(), "config:PrivateCa:Pem");

        bundle.Sources.Should().Equal("config:PrivateCa:Pem");
        bundle.Certificates[0].Sha256().Should().Be(root.Sha256());
    }

    [Fact]
    public void Certificates_EachAccess_ReturnsNewObjectsTheCallerOwns()
    {
        var bundle = CertificateBundleLoader.LoadPem(TestPki.CreateRoot("Owned Root").Pem(), "memory");

        var first = bundle.Certificates;
        first[0].Dispose();
        first.Clear();
        var second = bundle.Certificates;

        second.Should().ContainSingle().Which.Subject.Should().Be("CN=Owned Root");
    }

    [Fact]
    public void Load_LenientWithMalformedBlock_SkipsItAndKeepsTheRest()
    {
        var good = TestPki.CreateRoot("Good Root").Pem();
        var path = _dir.Write("one-bad.pem", good + "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n");

        var bundle = CertificateBundleLoader.Load(path, new BundleLoadOptions { SkipMalformedInput = true });

        bundle.Count.Should().Be(1);
        var skipped = bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.MalformedInputSkipped).Subject;
        skipped.Severity.Should().Be(BundleDiagnosticSeverity.Error);
        skipped.Line.Should().Be(good.Split('\n').Length);
    }

    [Fact]
    public void Load_SkipsCrlBlocksAndReportsThem()
    {
        var (certificate, key) = OpenSsl.CreateRoot(_dir, "Crl Root", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        var config = _dir.Write("ca.cnf", $"[ca]\ndefault_ca=d\n[d]\ndatabase={_dir.File("index.txt")}\ncrlnumber={_dir.File("crlnumber")}\ndefault_md=sha256\ndefault_crl_days=30\n");
        File.WriteAllText(_dir.File("index.txt"), string.Empty);
        File.WriteAllText(_dir.File("crlnumber"), "01\n");
        var crl = _dir.File("ca.crl");
        OpenSsl.Run(_dir.Path, "ca", "-gencrl", "-config", config, "-cert", certificate, "-keyfile", key, "-out", crl);
        var path = _dir.Write("with-crl.pem", File.ReadAllText(certificate) + File.ReadAllText(crl));

        var bundle = CertificateBundleLoader.Load(path);

        bundle.Count.Should().Be(1);
        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.SkippedBlock).Which.Message.Should().Contain("X509 CRL");
    }

    [Fact]
    public void Load_Index_FindsAnchorsBySubjectAndKeyIdentifier()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = TestPki.CreateRoot("Indexed Root", key: key);
        var bundle = CertificateBundleLoader.LoadPem(TestPki.Pem(TestPki.CreateRoot("Noise"), root), "memory");
        var ski = root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.Span;

        bundle.Index.BySubject(root.SubjectName.RawData).Should().ContainSingle().Which.Sha256Hex.Should().Be(root.Sha256());
        bundle.Index.ByKeyIdentifier(ski).Should().ContainSingle().Which.Sha256Hex.Should().Be(root.Sha256());
    }
}
