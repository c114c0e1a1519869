using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// For every Strict rule: a certificate that passes, one that fails under Strict, and what Platform does with the
/// failing one — which is why the rule is worth having. Certificates come from <see cref="CertificateRequest"/>
/// (the openssl command line cannot write most of these defects) and, for the version rule, from 'openssl ca'.
/// </summary>
public sealed class StrictProfileTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Strict Root");
    private readonly X509Certificate2 _issuing;

    public StrictProfileTests()
    {
        _issuing = Pki.Intermediate("Strict Issuing", _root);
    }

    public void Dispose() => _dir.Dispose();

    private sealed record Setup(X509Certificate2 Leaf, X509Certificate2[] Sent, X509Certificate2[] Anchors, string Host = Host);

    private TrustVerdict Judge(ValidationProfile profile, Setup setup)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false, Profile = profile };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(setup.Anchors)));
        return new CustomRootTrustValidator(options).Validate(setup.Leaf, new X509Certificate2Collection(setup.Sent), setup.Host);
    }

    private Setup Leaf(Pki.Spec spec, string host = Host) => new(Pki.Issue(host, _issuing, spec), [_issuing], [_root], host);

    private static Pki.Spec Good => new() { DnsNames = [Host], Eku = ["1.3.6.1.5.5.7.3.1"] };

    private Setup WithIntermediate(Pki.Spec intermediateSpec)
    {
        var intermediate = Pki.Intermediate("Strict Variant CA", _root, intermediateSpec);
        return new Setup(Pki.Server(intermediate, Host), [intermediate], [_root]);
    }

    public static TheoryData<string> Rules => new()
    {
        "leaf-san-required", "leaf-eku-server-auth/none", "leaf-eku-server-auth/any", "leaf-eku-server-auth/critical", "leaf-not-ca",
        "ca-basic-constraints", "key-identifiers/ski", "key-identifiers/aki", "serial-number/long", "serial-number/negative", "version-3",
        "signature-algorithm", "key-algorithm", "wildcard", "san-critical/critical", "san-critical/empty-subject", "aia-well-formed",
        "name-constraints/leaf", "name-constraints/empty",
    };

    /// <summary>What the platform engine (Platform profile) does with each failing certificate, as measured on .NET 10 / OpenSSL 3.</summary>
    private static readonly Dictionary<string, bool> PlatformTrustsTheFailingOne = new()
    {
        ["leaf-san-required"] = true, // .NET falls back to the common name
        ["leaf-eku-server-auth/none"] = true,
        ["leaf-eku-server-auth/any"] = false, // .NET's server-auth application policy does not take anyExtendedKeyUsage alone
        ["leaf-eku-server-auth/critical"] = true,
        ["leaf-not-ca"] = true,
        ["ca-basic-constraints"] = true, // the Python 3.13 breakage: OpenSSL accepts a non-critical basicConstraints
        ["key-identifiers/ski"] = true,
        ["key-identifiers/aki"] = true,
        ["serial-number/long"] = true,
        ["serial-number/negative"] = true,
        ["version-3"] = true,
        ["signature-algorithm"] = true, // SHA-1 is accepted outside a TLS security level
        ["key-algorithm"] = true,
        ["wildcard"] = true,
        ["san-critical/critical"] = true,
        ["san-critical/empty-subject"] = true,
        ["aia-well-formed"] = true,
        ["name-constraints/leaf"] = true,
        ["name-constraints/empty"] = true,
    };

    private (Setup Pass, Setup Fail) Pair(string rule) => rule switch
    {
        "leaf-san-required" => (Leaf(Good), Leaf(Good with { DnsNames = [] })),
        "leaf-eku-server-auth/none" => (Leaf(Good), Leaf(Good with { Eku = null })),
        "leaf-eku-server-auth/any" => (Leaf(Good with { Eku = ["2.5.29.37.0", "1.3.6.1.5.5.7.3.1"] }), Leaf(Good with { Eku = ["2.5.29.37.0"] })),
        "leaf-eku-server-auth/critical" => (Leaf(Good), Leaf(Good with { EkuCritical = true })),
        "leaf-not-ca" => (Leaf(Good), Leaf(Good with { IsCa = true, KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature })),
        "ca-basic-constraints" => (WithIntermediate(new Pki.Spec()), WithIntermediate(new Pki.Spec { BasicConstraintsCritical = false })),
        "key-identifiers/ski" => (WithIntermediate(new Pki.Spec()), WithIntermediate(new Pki.Spec { SubjectKeyId = false })),
        "key-identifiers/aki" => (Leaf(Good), Leaf(Good with { AuthorityKeyId = false })),
        "serial-number/long" => (Leaf(Good with { Serial = [0x01, .. new byte[19]] }), Leaf(Good with { Serial = [0x01, .. new byte[20]] })),
        "serial-number/negative" => (Leaf(Good with { Serial = [0x7F, 0x01] }), Leaf(Good with { Serial = [0x00], Extra = null })),
        "version-3" => (Leaf(Good), VersionOne()),
        "signature-algorithm" => Sha1Pair(),
        "key-algorithm" => (Leaf(Good with { RsaBits = 2048 }), Leaf(Good with { RsaBits = 1024 })),
        "wildcard" => (Leaf(Good with { DnsNames = ["*.corp.example", Host] }), Leaf(Good with { DnsNames = [Host], Extra = r => ReplaceSan(r, ["m*.corp.example", Host]) })),
        "san-critical/critical" => (Leaf(Good), Leaf(Good with { SanCritical = true })),
        "san-critical/empty-subject" => (Leaf(Good with { Subject = string.Empty, SanCritical = true }), Leaf(Good with { Subject = string.Empty })),
        "aia-well-formed" => (Leaf(Good with { Extra = r => r.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, ["http://ca.corp.example/issuing.crt"])) }),
                              Leaf(Good with { Extra = r => r.CertificateExtensions.Add(new X509Extension("1.3.6.1.5.5.7.1.1", [0x30, 0x00], false)) })),
        "name-constraints/leaf" => (Leaf(Good), Leaf(Good with { PermittedDnsSubtree = "internal" })),
        "name-constraints/empty" => (WithIntermediate(new Pki.Spec { PermittedDnsSubtree = "internal" }),
                                     WithIntermediate(new Pki.Spec { Extra = r => r.CertificateExtensions.Add(new X509Extension("2.5.29.30", [0x30, 0x00], true)) })),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Strict_EachRule_PassesTheGoodOneRejectsTheBadOneAndNamesIt(string rule)
    {
        var (pass, fail) = Pair(rule);
        var id = rule.Split('/')[0];

        var strictPass = Judge(ValidationProfile.Strict, pass);
        var strictFail = Judge(ValidationProfile.Strict, fail);
        var platformFail = Judge(ValidationProfile.Platform, fail);

        strictPass.IsTrusted.Should().BeTrue(strictPass.Reason);
        strictFail.IsTrusted.Should().BeFalse();
        strictFail.Reason.Should().Contain($"Strict profile rule '{id}' is broken by '");
        platformFail.IsTrusted.Should().Be(PlatformTrustsTheFailingOne[rule], platformFail.Reason);
    }

    [Fact]
    public void Strict_GoodChain_SameVerdictAsPlatform()
    {
        var good = Leaf(Good);

        Judge(ValidationProfile.Strict, good).IsTrusted.Should().BeTrue();
        Judge(ValidationProfile.Platform, good).IsTrusted.Should().BeTrue();
    }

    private (Setup, Setup) Sha1Pair()
    {
        // .NET will not sign with ECDSA and SHA-1; 'openssl ca -md sha1' will.
        var ca = OpenSslCa.Root(_dir, "Strict Sha1 Root");
        const string Extensions = "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:model.internal";
        var anchor = X509CertificateLoader.LoadCertificateFromFile(ca.Certificate);
        return (new Setup(X509CertificateLoader.LoadCertificateFromFile(ca.Issue("sha256.internal", Extensions)), [], [anchor]),
                new Setup(X509CertificateLoader.LoadCertificateFromFile(ca.Issue("sha1.internal", Extensions, digest: "sha1")), [], [anchor]));
    }

    private Setup VersionOne()
    {
        // 'openssl ca' with no extensions writes an X.509 version 1 certificate.
        var ca = OpenSslCa.Root(_dir, "Strict V1 Root", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\nsubjectKeyIdentifier=hash");
        var leaf = ca.IssueWithoutExtensions(Host);
        return new Setup(X509CertificateLoader.LoadCertificateFromFile(leaf), [], [X509CertificateLoader.LoadCertificateFromFile(ca.Certificate)]);
    }

    private static void ReplaceSan(CertificateRequest request, string[] names)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var name in names)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2));
            }
        }

        var existing = request.CertificateExtensions.First(e => e.Oid?.Value == "2.5.29.17");
        request.CertificateExtensions.Remove(existing);
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", writer.Encode(), false));
    }
}
