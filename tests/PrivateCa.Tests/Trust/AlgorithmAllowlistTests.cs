using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// The security floor is an allowlist of (OID, parameters): weak algorithms written under other identifiers — OIW's MD5 and
/// SHA-1, RSASSA-PSS with its SHA-1 defaults, RSA keys under the PSS or X.500 OIDs — are <see cref="TrustFailure.WeakCryptography"/>
/// in both profiles, offline and in a real handshake (served by 'openssl s_server' at security level 0, which .NET's own
/// server would refuse to do), while the accepted algorithms stay trusted.
/// </summary>
public sealed class AlgorithmAllowlistTests : IDisposable
{
    private const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    private const string RsaPss = "1.2.840.113549.1.1.10";
    private const string Sha1 = "1.3.14.3.2.26";
    private const string Sha256 = "2.16.840.1.101.3.4.2.1";
    private const string Sha384 = "2.16.840.1.101.3.4.2.2";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, ValidationProfile> Weak()
    {
        var data = new TheoryData<string, ValidationProfile>();
        foreach (var weakness in new[]
        {
            "md5WithRSA under OIW 1.3.14.3.2.3", "sha1WithRSA under OIW 1.3.14.3.2.29", "sha1WithRSA", "RSASSA-PSS with empty parameters (SHA-1 defaults)",
            "RSASSA-PSS without parameters", "RSASSA-PSS SHA-256 with MGF1-SHA-1", "RSASSA-PSS SHA-256 with a 20-octet salt",
            "1024-bit RSA key under the RSASSA-PSS OID", "1024-bit RSA key under X.500 2.5.8.1.1", "2048-bit RSA key under the RSASSA-PSS OID",
            "1024-bit RSA key", "sha256WithRSA with non-NULL parameters",
        })
        {
            data.Add(weakness, ValidationProfile.Platform);
            data.Add(weakness, ValidationProfile.Strict);
        }

        return data;
    }

    public static TheoryData<string> Accepted() => new() { "sha256WithRSA", "sha256WithRSA without parameters", "RSASSA-PSS SHA-256", "RSASSA-PSS SHA-384", "sha512WithRSA" };

    [Theory]
    [MemberData(nameof(Weak))]
    public async Task Validate_WeakAlgorithmUnderAnySpelling_WeakCryptographyOfflineAndInHandshake(string weakness, ValidationProfile profile)
    {
        var chain = Build(weakness);
        var options = Options(chain.Root, profile);

        var offline = new CustomRootTrustValidator(options).Validate(chain.Leaf, [chain.Intermediate], AlgorithmForge.Host);

        offline.Failure.Should().Be(TrustFailure.WeakCryptography, offline.Reason);
        await using var server = await OpenSslServer.StartAsync(_dir, chain.Leaf, [chain.Intermediate]);
        using var client = LoopbackClient.For(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());
        var (_, error) = await LoopbackClient.TryGetAsync(client, server.Url(AlgorithmForge.Host));
        var rejection = CertificateTrustException.Find(error!);
        rejection.Should().NotBeNull($"the handshake must fail with PrivateCa's verdict, not {error}");
        rejection!.Failure.Should().Be(TrustFailure.WeakCryptography, rejection.Message);
        rejection.Summary.Should().Be(offline.Summary);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Validate_AcceptedAlgorithm_TrustedOfflineAndInHandshake(string algorithm)
    {
        var chain = Build(algorithm);
        var options = Options(chain.Root, ValidationProfile.Platform);

        var offline = new CustomRootTrustValidator(options).Validate(chain.Leaf, [chain.Intermediate], AlgorithmForge.Host);

        offline.IsTrusted.Should().BeTrue(offline.Reason);
        await using var server = await OpenSslServer.StartAsync(_dir, chain.Leaf, [chain.Intermediate]);
        using var client = LoopbackClient.For(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());
        var (body, error) = await LoopbackClient.TryGetAsync(client, server.Url(AlgorithmForge.Host));
        error.Should().BeNull();
        body.Should().Contain("s_server");
    }

    [Fact]
    public void Validate_PssDefaults_ReasonSaysSha1AndListsWhatIsAccepted()
    {
        var chain = Build("RSASSA-PSS with empty parameters (SHA-1 defaults)");

        var verdict = new CustomRootTrustValidator(Options(chain.Root, ValidationProfile.Platform)).Validate(chain.Leaf, [chain.Intermediate], AlgorithmForge.Host);

        verdict.Summary.Should().Contain("'CN=model.internal' is signed with RSASSA-PSS with SHA-1")
            .And.Contain("not on PrivateCa's list of accepted signature algorithms");
    }

    [Fact]
    public void Load_IntermediateWithRsaKeyUnderPssOid_ReportsWeakPublicKey()
    {
        var chain = Build("1024-bit RSA key under the RSASSA-PSS OID");

        var bundle = CertificateBundleLoader.LoadPem(Pki.PemOf(chain.Intermediate), "intermediate.pem");

        bundle.Diagnostics.Should().Contain(d => d.Code == (BundleDiagnosticCode)18 && d.Message.Contains("1024-bit RSA key under the identifier RSASSA-PSS"));
    }

    [Fact]
    public async Task Validate_Ed25519ChainMadeByOpenSsl_TrustedOfflineAndInHandshake()
    {
        // .NET's chain engine verifies Ed25519 on Linux (OpenSSL underneath), so Ed25519 is on the list.
        var root = OpenSslCa.Root(_dir, "Ed Root", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash", "ed25519");
        var leafPath = root.Issue(AlgorithmForge.Host, $"basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:{AlgorithmForge.Host}", key: "ed25519");
        var leaf = X509CertificateLoader.LoadCertificateFromFile(leafPath);
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(root.Certificate);

        var offline = new CustomRootTrustValidator(options).Validate(leaf, [], AlgorithmForge.Host);
        var der = leaf.RawData;
        der[^3] ^= 0x01;
        var tampered = new CustomRootTrustValidator(options).Validate(X509CertificateLoader.LoadCertificate(der), [], AlgorithmForge.Host);

        offline.IsTrusted.Should().BeTrue(offline.Reason);
        tampered.Failure.Should().Be(TrustFailure.BadSignature, tampered.Reason);
        await using var server = await OpenSslServer.StartAsync(leafPath, root.LastKey, chain: null);
        using var client = LoopbackClient.For(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());
        var (body, error) = await LoopbackClient.TryGetAsync(client, server.Url(AlgorithmForge.Host));
        error.Should().BeNull();
        body.Should().Contain("s_server");
    }

    private PrivateCaTrustOptions Options(X509Certificate2 root, ValidationProfile profile)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false, Profile = profile };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(root)));
        return options;
    }

    private static AlgorithmForge.Chain Build(string name)
    {
        var pkcs1 = RSASignaturePadding.Pkcs1;
        var pss = RSASignaturePadding.Pss;
        return name switch
        {
            "md5WithRSA under OIW 1.3.14.3.2.3" => AlgorithmForge.Build(AlgorithmForge.Algorithm("1.3.14.3.2.3", AlgorithmForge.Null), HashAlgorithmName.MD5, pkcs1),
            "sha1WithRSA under OIW 1.3.14.3.2.29" => AlgorithmForge.Build(AlgorithmForge.Algorithm("1.3.14.3.2.29", AlgorithmForge.Null), HashAlgorithmName.SHA1, pkcs1),
            "sha1WithRSA" => AlgorithmForge.Build(AlgorithmForge.Algorithm("1.2.840.113549.1.1.5", AlgorithmForge.Null), HashAlgorithmName.SHA1, pkcs1),
            "RSASSA-PSS with empty parameters (SHA-1 defaults)" => AlgorithmForge.Build(AlgorithmForge.Algorithm(RsaPss, AlgorithmForge.PssParameters(null, null, null)), HashAlgorithmName.SHA1, pss),
            "RSASSA-PSS without parameters" => AlgorithmForge.Build(AlgorithmForge.Algorithm(RsaPss), HashAlgorithmName.SHA1, pss),
            "RSASSA-PSS SHA-256 with MGF1-SHA-1" => AlgorithmForge.Build(AlgorithmForge.Algorithm(RsaPss, AlgorithmForge.PssParameters(Sha256, Sha1, 32)), HashAlgorithmName.SHA256, pss),
            "RSASSA-PSS SHA-256 with a 20-octet salt" => AlgorithmForge.Build(AlgorithmForge.Algorithm(RsaPss, AlgorithmForge.PssParameters(Sha256, Sha256, 20)), HashAlgorithmName.SHA256, pss),
            "1024-bit RSA key under the RSASSA-PSS OID" => AlgorithmForge.Build(AlgorithmForge.Algorithm(RsaPss, AlgorithmForge.PssParameters(Sha256, Sha256, 32)), HashAlgorithmName.SHA256, pss, 1024, RsaPss),
            "2048-bit RSA key under the RSASSA-PSS OID" => AlgorithmForge.Build(AlgorithmForge.Algorithm(RsaPss, AlgorithmForge.PssParameters(Sha256, Sha256, 32)), HashAlgorithmName.SHA256, pss, 2048, RsaPss),
            "1024-bit RSA key under X.500 2.5.8.1.1" => AlgorithmForge.Build(AlgorithmForge.Algorithm(Sha256WithRsa, AlgorithmForge.Null), HashAlgorithmName.SHA256, pkcs1, 1024, "2.5.8.1.1"),
            "1024-bit RSA key" => AlgorithmForge.Build(AlgorithmForge.Algorithm(Sha256WithRsa, AlgorithmForge.Null), HashAlgorithmName.SHA256, pkcs1, 1024),
            "sha256WithRSA with non-NULL parameters" => AlgorithmForge.Build(AlgorithmForge.Algorithm(Sha256WithRsa, [0x04, 0x01, 0x00]), HashAlgorithmName.SHA256, pkcs1),
            "sha256WithRSA" => AlgorithmForge.Build(AlgorithmForge.Algorithm(Sha256WithRsa, AlgorithmForge.Null), HashAlgorithmName.SHA256, pkcs1),
            "sha256WithRSA without parameters" => AlgorithmForge.Build(AlgorithmForge.Algorithm(Sha256WithRsa), HashAlgorithmName.SHA256, pkcs1),
            "sha512WithRSA" => AlgorithmForge.Build(AlgorithmForge.Algorithm("1.2.840.113549.1.1.13", AlgorithmForge.Null), HashAlgorithmName.SHA512, pkcs1),
            "RSASSA-PSS SHA-256" => AlgorithmForge.Build(AlgorithmForge.Algorithm(RsaPss, AlgorithmForge.PssParameters(Sha256, Sha256, 32)), HashAlgorithmName.SHA256, pss),
            "RSASSA-PSS SHA-384" => AlgorithmForge.Build(AlgorithmForge.Algorithm(RsaPss, AlgorithmForge.PssParameters(Sha384, Sha384, 48)), HashAlgorithmName.SHA384, pss),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }
}
