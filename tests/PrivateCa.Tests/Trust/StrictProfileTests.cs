using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// For every Strict rule: a certificate that passes, one that fails under Strict, and what Platform does with the
/// failing one — which is why the rule is worth having. Certificates come from 'openssl ca', except where openssl
/// cannot write the defect (a zero serial, an empty subject, a malformed authorityInformationAccess, empty name
/// constraints): those come from <see cref="CertificateRequest"/>.
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
        "name-constraints/leaf", "name-constraints/empty", "name-constraints/not-critical", "leaf-eku-server-auth/any-beside-server-auth",
        "san-syntax/dns", "key-identifiers/aki-without-key-id", "anchor-eku", "wildcard/public-suffix", "wildcard/single-label",
    };

    /// <summary>What the platform engine (Platform profile) does with each failing certificate, as measured on .NET 10 / OpenSSL 3.</summary>
    private static readonly Dictionary<string, bool> PlatformTrustsTheFailingOne = new()
    {
        ["leaf-san-required"] = false, // no common-name fallback unless AllowCommonNameFallback
        ["leaf-eku-server-auth/none"] = true,
        ["leaf-eku-server-auth/any"] = false, // .NET's server-auth application policy does not take anyExtendedKeyUsage alone
        ["leaf-eku-server-auth/critical"] = true,
        ["leaf-not-ca"] = true,
        ["ca-basic-constraints"] = true, // the Python 3.13 breakage: OpenSSL accepts a non-critical basicConstraints
        ["key-identifiers/ski"] = true,
        ["key-identifiers/aki"] = true,
        ["serial-number/long"] = true,
        ["serial-number/negative"] = true,
        ["version-3"] = false, // the v1 test leaf has no subjectAltName, and there is no common-name fallback
        ["signature-algorithm"] = false, // the security floor: no SHA-1 on a relied-on signature
        ["key-algorithm"] = false, // the security floor: no RSA key under 2048 bits
        ["wildcard"] = true,
        ["san-critical/critical"] = true,
        ["san-critical/empty-subject"] = true,
        ["aia-well-formed"] = true,
        ["name-constraints/leaf"] = true,
        ["name-constraints/empty"] = true,
        ["name-constraints/not-critical"] = true,
        ["leaf-eku-server-auth/any-beside-server-auth"] = true,
        ["san-syntax/dns"] = true,
        ["key-identifiers/aki-without-key-id"] = true,
        ["anchor-eku"] = true,
        ["wildcard/public-suffix"] = true,
        ["wildcard/single-label"] = true,
    };

    private const string LeafBase = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature";
    private const string GoodLeaf = LeafBase + "\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:model.internal";
    private const string CaBase = "keyUsage=critical,keyCertSign,cRLSign";

    private OpenSslCa? _openSslRoot;

    private OpenSslCa OpenSslRoot => _openSslRoot ??= OpenSslCa.Root(_dir, "Strict OpenSSL Root");

    private static X509Certificate2 Load(string path) => X509CertificateLoader.LoadCertificateFromFile(path);

    private Setup OpenSsl(string extensions, string key = "ec", bool keyIdentifiers = true, string? serialHex = null) =>
        new(Load(OpenSslRoot.Issue(Host, extensions, key: key, keyIdentifiers: keyIdentifiers, serialHex: serialHex)), [], [Load(OpenSslRoot.Certificate)]);

    private Setup OpenSslIntermediate(string extensions, bool keyIdentifiers = true)
    {
        var intermediate = OpenSslRoot.Intermediate($"Strict CA {Guid.NewGuid():N}", extensions, keyIdentifiers);
        return new(Load(intermediate.Issue(Host, GoodLeaf, keyIdentifiers: keyIdentifiers)), [Load(intermediate.Certificate)], [Load(OpenSslRoot.Certificate)]);
    }

    private (Setup Pass, Setup Fail) Pair(string rule) => rule switch
    {
        "leaf-san-required" => (OpenSsl(GoodLeaf), OpenSsl(LeafBase + "\nextendedKeyUsage=serverAuth")),
        "leaf-eku-server-auth/none" => (OpenSsl(GoodLeaf), OpenSsl(LeafBase + "\nsubjectAltName=DNS:model.internal")),
        "leaf-eku-server-auth/any" => (OpenSsl(GoodLeaf), OpenSsl(LeafBase + "\nextendedKeyUsage=anyExtendedKeyUsage\nsubjectAltName=DNS:model.internal")),
        "leaf-eku-server-auth/any-beside-server-auth" => (OpenSsl(GoodLeaf),
                                       OpenSsl(LeafBase + "\nextendedKeyUsage=anyExtendedKeyUsage,serverAuth\nsubjectAltName=DNS:model.internal")),
        "leaf-eku-server-auth/critical" => (OpenSsl(GoodLeaf), OpenSsl(LeafBase + "\nextendedKeyUsage=critical,serverAuth\nsubjectAltName=DNS:model.internal")),
        "leaf-not-ca" => (OpenSsl(GoodLeaf), OpenSsl("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,keyCertSign\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:model.internal")),
        "ca-basic-constraints" => (OpenSslIntermediate("basicConstraints=critical,CA:TRUE\n" + CaBase), OpenSslIntermediate("basicConstraints=CA:TRUE\n" + CaBase)),
        "key-identifiers/ski" => (OpenSslIntermediate("basicConstraints=critical,CA:TRUE\n" + CaBase), OpenSslIntermediate("basicConstraints=critical,CA:TRUE\n" + CaBase, keyIdentifiers: false)),
        "key-identifiers/aki" => (OpenSsl(GoodLeaf), OpenSsl(GoodLeaf, keyIdentifiers: false)),
        "serial-number/long" => (OpenSsl(GoodLeaf, serialHex: "01" + new string('0', 38)), OpenSsl(GoodLeaf, serialHex: "01" + new string('0', 40))),
        "serial-number/negative" => (Leaf(Good with { Serial = [0x7F, 0x01] }), Leaf(Good with { Serial = [0x00] })),
        "version-3" => (OpenSsl(GoodLeaf), VersionOne()),
        "signature-algorithm" => Sha1Pair(),
        "key-algorithm" => (OpenSsl(GoodLeaf, key: "rsa:2048"), OpenSsl(GoodLeaf, key: "rsa:1024")),
        "wildcard" => (OpenSsl(LeafBase + "\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.corp.example,DNS:model.internal"),
                       OpenSsl(LeafBase + "\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:m*.corp.example,DNS:model.internal")),
        "san-critical/critical" => (OpenSsl(GoodLeaf), OpenSsl(LeafBase + "\nextendedKeyUsage=serverAuth\nsubjectAltName=critical,DNS:model.internal")),
        "san-critical/empty-subject" => (Leaf(Good with { Subject = string.Empty, SanCritical = true }), Leaf(Good with { Subject = string.Empty })),
        "aia-well-formed" => (OpenSsl(GoodLeaf + "\nauthorityInfoAccess=caIssuers;URI:http://ca.corp.example/issuing.crt"),
                              Leaf(Good with { Extra = r => r.CertificateExtensions.Add(new X509Extension("1.3.6.1.5.5.7.1.1", [0x30, 0x00], false)) })),
        "name-constraints/leaf" => (OpenSsl(GoodLeaf), OpenSsl(GoodLeaf + "\nnameConstraints=permitted;DNS:internal")),
        "name-constraints/empty" => (WithIntermediate(new Pki.Spec { PermittedDnsSubtree = "internal" }),
                                     WithIntermediate(new Pki.Spec { Extra = r => r.CertificateExtensions.Add(new X509Extension("2.5.29.30", [0x30, 0x00], true)) })),
        "name-constraints/not-critical" => (OpenSslIntermediate(ConstrainedCa("critical,")), OpenSslIntermediate(ConstrainedCa(string.Empty))),
        "san-syntax/dns" => (OpenSsl(GoodLeaf), OpenSsl(LeafBase + "\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:model.internal,DNS:gpu_01.model.internal")),
        "key-identifiers/aki-without-key-id" => (OpenSslUnderRoot("authorityKeyIdentifier=keyid:always"), OpenSslUnderRoot("authorityKeyIdentifier=issuer:always")),
        "anchor-eku" => (OpenSslUnderRoot(string.Empty), OpenSslUnderRoot("extendedKeyUsage=serverAuth")),
        "wildcard/public-suffix" => (OpenSsl(LeafBase + "\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.corp.co.uk,DNS:model.internal"),
                                     OpenSsl(LeafBase + "\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.co.uk,DNS:model.internal")),
        "wildcard/single-label" => (OpenSsl(LeafBase + "\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.model.internal,DNS:model.internal"),
                                    OpenSsl(LeafBase + "\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:*.internal,DNS:model.internal")),
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
    public void Validate_IpAddressOfFiveOctets_MalformedUnderBothProfiles()
    {
        // The iPAddress half of 'san-syntax': the engine's well-formedness check already refuses it under either profile.
        var fail = Leaf(Good with
        {
            DnsNames = [],
            Extra = r => r.CertificateExtensions.Add(new X509Extension("2.5.29.17", NameConstraintsDer.SubjectAltName(["DNS:model.internal", "IPRAW:0A00000700"]), false)),
        });
        var pass = Leaf(Good with { IpAddresses = [System.Net.IPAddress.Parse("10.0.0.7")] });

        Judge(ValidationProfile.Strict, pass).IsTrusted.Should().BeTrue();
        foreach (var profile in new[] { ValidationProfile.Strict, ValidationProfile.Platform })
        {
            var verdict = Judge(profile, fail);
            verdict.Failure.Should().Be(TrustFailure.MalformedCertificate, verdict.Reason);
            verdict.Reason.Should().Contain("iPAddress entry of 5 octets");
        }
    }

    [Fact]
    public void Strict_GoodChain_SameVerdictAsPlatform()
    {
        var good = Leaf(Good);

        Judge(ValidationProfile.Strict, good).IsTrusted.Should().BeTrue();
        Judge(ValidationProfile.Platform, good).IsTrusted.Should().BeTrue();
    }

    private static string ConstrainedCa(string critical) =>
        $"basicConstraints=critical,CA:TRUE\n{CaBase}\nnameConstraints={critical}permitted;DNS:model.internal";

    /// <summary>A good leaf under a root made by 'openssl req -x509' with the given extension line added.</summary>
    private Setup OpenSslUnderRoot(string rootExtension)
    {
        var root = OpenSslCa.Root(_dir, $"Strict Root {Guid.NewGuid():N}", $"basicConstraints=critical,CA:TRUE\n{CaBase}\nsubjectKeyIdentifier=hash\n{rootExtension}");
        return new(Load(root.Issue(Host, GoodLeaf)), [], [Load(root.Certificate)]);
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
}
