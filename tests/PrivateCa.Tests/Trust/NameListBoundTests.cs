using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>A server's certificate can carry thousands of subjectAltNames; a name mismatch lists a few, so one hostile
/// certificate cannot turn every handshake's exception message and log line into a megabyte.</summary>
public sealed class NameListBoundTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Validate_NameMismatchWithTwentyThousandSans_ReasonListsTenNamesAndTheCount()
    {
        var root = Pki.Root("Name List Root");
        var names = Enumerable.Range(0, 20000).Select(i => $"h{i}.names.example").ToArray();
        var leaf = Pki.Issue("h0.names.example", root, new Pki.Spec { DnsNames = names, Eku = ["1.3.6.1.5.5.7.3.1"] });
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write("root.pem", Pki.PemOf(root)));
        var validator = new CustomRootTrustValidator(options);

        var verdict = validator.Validate(leaf, [], "other.names.example");

        verdict.Failure.Should().Be(TrustFailure.NameMismatch);
        verdict.Reason.Should().Contain("h9.names.example").And.Contain("and 19990 more").And.NotContain("h10.names.example");
        verdict.Reason.Length.Should().BeLessThan(2000);
        verdict.Fix.Length.Should().BeLessThan(2000);
        validator.Validate(leaf, [], "h19999.names.example").IsTrusted.Should().BeTrue();
    }

    [Fact]
    public void Validate_ServerSendsThreeHundredCertificates_ReasonListsTenAndTheCount()
    {
        var root = Pki.Root("Flood Root");
        var stranger = Pki.Root("Flood Stranger");
        var leaf = Pki.Server(stranger, "flood.names.example");
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write("root.pem", Pki.PemOf(root)));
        var flood = new X509Certificate2Collection();
        for (var i = 0; i < 300; i++)
        {
            flood.Add(Pki.Root($"Flood {i}"));
        }

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, flood, "flood.names.example");

        verdict.IsTrusted.Should().BeFalse();
        verdict.Reason.Should().Contain("[9] ").And.NotContain("[10] ").And.Contain("more certificates");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Validate_InvalidIdnHost_VerdictBlamesTheHostNotTheCertificate(bool outsideHosts)
    {
        var root = Pki.Root("Invalid Host Root");
        var leaf = Pki.Server(root, "a.names.example");
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write("root.pem", Pki.PemOf(root)));
        if (outsideHosts)
        {
            options.Hosts.Add("*.elsewhere.example");
        }

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, [], "b\u00fc..names.example");

        // Outside Hosts the system's verdict (no known root) comes first; the host is still what is named, never the certificate.
        verdict.Failure.Should().Be(outsideHosts ? TrustFailure.UntrustedRoot : TrustFailure.NameMismatch);
        verdict.Reason.Should().Contain("is not a valid DNS host name").And.NotContain("malformed");
    }

    [Fact]
    public void Validate_SubjectsOfEightThousandControlCharacters_ReasonAndMessageStayBounded()
    {
        // Each control character is six once escaped: unbounded, one name would make a 48 KB reason for every handshake.
        var huge = new string('\u0001', 8000);
        var stranger = HugeRoot(huge);
        var leaf = Pki.Issue("x", stranger, new Pki.Spec { Subject = "CN=huge.names.example", DnsNames = ["huge.names.example"], Eku = ["1.3.6.1.5.5.7.3.1"] });
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write("root.pem", Pki.PemOf(Pki.Root("Huge Root"))));

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, [stranger], "huge.names.example");

        verdict.IsTrusted.Should().BeFalse();
        verdict.Reason.Should().Contain("\\u0001").And.Contain("…").And.NotContain("\u0001");
        verdict.Reason.Length.Should().BeLessThan(5000, verdict.Reason[..600]);
        verdict.Summary.Length.Should().BeLessThan(5000);
        new CertificateTrustException("huge.names.example", 443, verdict).Message.Length.Should().BeLessThan(20000);
    }

    [Fact]
    public void Validate_StrictWithThreeThousandInvalidNames_ListsTenFindingsAndTheCount()
    {
        // Every bad dNSName is a Strict finding: unbounded, one self-signed certificate made a 600 KB reason per handshake.
        var names = new SubjectAlternativeNameBuilder();
        for (var i = 0; i < 3000; i++)
        {
            names.AddDnsName($"bad_{i}_name.test");
        }

        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest("CN=many", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        using var leaf = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var options = new PrivateCaTrustOptions { UseEnvironment = false, Profile = ValidationProfile.Strict };
        // In the bundle itself, so the chain reaches an anchor and Strict's rules run (an untrusted chain gets only cheap checks).
        options.BundlePaths.Add(_dir.Write("root.pem", Pki.PemOf(Pki.Root("Many Root"), leaf)));

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, [], "host.test");

        verdict.IsTrusted.Should().BeFalse();
        verdict.Reason.Length.Should().BeLessThan(VerdictLimit);
        verdict.Reason.Should().ContainAny("more problems", "more Strict profile findings");
    }

    private const int VerdictLimit = PrivateCa.Trust.Internal.VerdictRenderer.MaxExplanationLength + 1;

    private static X509Certificate2 HugeRoot(string commonName)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(commonName);
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name.Build(), key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
