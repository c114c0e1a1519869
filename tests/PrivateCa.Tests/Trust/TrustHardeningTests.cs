using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>The attacks of issue #11, each through the public API and, where it concerns handshakes, a real TLS server on 127.0.0.1.</summary>
public sealed class TrustHardeningTests : IDisposable
{
    private const string Host = "model.internal";
    private const string SanOid = "2.5.29.17";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Hardening Root");

    public void Dispose() => _dir.Dispose();

    private PrivateCaTrustOptions Options(params X509Certificate2[] bundle)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(bundle)));
        return options;
    }

    private static async Task<CertificateTrustException> HandshakeRejection(PrivateCaTrustOptions options, X509Certificate2 leaf, string host = Host)
    {
        await using var server = await RawTlsServer.StartAsync(leaf);
        using var client = LoopbackClient.For(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());
        var (body, error) = await LoopbackClient.TryGetAsync(client, server.Url(host));
        body.Should().BeNull();
        error.Should().BeOfType<HttpRequestException>();
        CertificateTrustException.IsTrustRejection(error).Should().BeTrue(error!.ToString());
        return error!.InnerException.Should().BeOfType<CertificateTrustException>().Subject;
    }

    private X509Certificate2 WithSan(params byte[][] names) =>
        DerForge.Rewrite(Pki.Server(_root, Host), _root, extensions => [.. extensions.Where(e => e.Oid != SanOid), new DerForge.Extension(SanOid, false, DerForge.GeneralNames(names))]);

    // 2. Malformed certificates get a verdict.

    [Fact]
    public void Validate_IpAddressEntryOfFiveOctets_MalformedCertificateVerdict()
    {
        var leaf = WithSan(DerForge.DnsName(Host), DerForge.IpAddress([10, 0, 0, 7, 1]));

        var verdict = new CustomRootTrustValidator(Options(_root)).Validate(leaf, [], Host);

        verdict.IsTrusted.Should().BeFalse();
        verdict.Failure.Should().Be(TrustFailure.MalformedCertificate);
        verdict.Summary.Should().Contain($"'CN={Host}'").And.Contain("iPAddress entry of 5 octets");
    }

    [Fact]
    public void Validate_DuplicateSubjectAltName_MalformedCertificateVerdict()
    {
        var leaf = DerForge.Rewrite(Pki.Server(_root, Host), _root, extensions => [.. extensions, .. extensions.Where(e => e.Oid == SanOid)]);

        var verdict = new CustomRootTrustValidator(Options(_root)).Validate(leaf, [], Host);

        verdict.Failure.Should().Be(TrustFailure.MalformedCertificate);
        verdict.Summary.Should().Contain("subjectAltName appears more than once");
    }

    [Fact]
    public void Validate_SubjectAltNameThatIsNotDer_MalformedCertificateVerdict()
    {
        var leaf = DerForge.Rewrite(Pki.Server(_root, Host), _root,
            extensions => [.. extensions.Where(e => e.Oid != SanOid), new DerForge.Extension(SanOid, false, [0x30, 0x05, 0x82, 0x09, 0x61])]);

        var verdict = new CustomRootTrustValidator(Options(_root)).Validate(leaf, [], Host);

        verdict.Failure.Should().Be(TrustFailure.MalformedCertificate);
        verdict.Fix.Should().Contain("Reissue");
    }

    [Fact]
    public async Task Handshake_IpAddressEntryOfFiveOctets_TrustRejectionNotAnotherException()
    {
        // The forged certificate carries the template's public key: re-key it with the template's private key.
        var template = Pki.Server(_root, Host);
        var forged = DerForge.Rewrite(template, _root, extensions => [.. extensions.Where(e => e.Oid != SanOid),
            new DerForge.Extension(SanOid, false, DerForge.GeneralNames(DerForge.DnsName(Host), DerForge.IpAddress([10, 0, 0, 7, 1])))]);
        using var served = forged.CopyWithPrivateKey(template.GetECDsaPrivateKey()!);

        var rejection = await HandshakeRejection(Options(_root), served);

        rejection.Failure.Should().Be(TrustFailure.MalformedCertificate);
    }

    // 3. A bundle certificate that is not a CA vouches only for itself.

    [Fact]
    public void Validate_NonCaSelfSignedInBundleIssuesLeaf_Rejected()
    {
        var appliance = Pki.Issue("appliance.internal", null, new Pki.Spec { BasicConstraints = false, DnsNames = ["appliance.internal"], KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign });
        var issued = Pki.Issue(Host, appliance, new Pki.Spec { DnsNames = [Host] });
        var validator = new CustomRootTrustValidator(Options(appliance));

        var verdict = validator.Validate(issued, [], Host);

        verdict.IsTrusted.Should().BeFalse();
        verdict.Failure.Should().Be(TrustFailure.UntrustedRoot);
        verdict.Summary.Should().Contain("is not a CA").And.Contain("vouches only for itself");
        validator.Validate(appliance, [], "appliance.internal").IsTrusted.Should().BeTrue("the exact certificate is still trusted as itself");
    }

    // 4. The security floor.

    [Fact]
    public void Validate_Rsa1024Leaf_WeakCryptography()
    {
        using var rsa = RSA.Create(1024);
        var request = new CertificateRequest($"CN={Host}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(Host);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, true, false));
        using var rootKey = _root.GetECDsaPrivateKey()!;
        var leaf = request.Create(_root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3]);

        var verdict = new CustomRootTrustValidator(Options(_root)).Validate(leaf, [], Host);

        verdict.Failure.Should().Be(TrustFailure.WeakCryptography);
        verdict.Summary.Should().Contain("1024-bit RSA key");
    }

    [Fact]
    public void Validate_Sha1SignedLeaf_WeakCryptography()
    {
        var leaf = DerForge.Rewrite(Pki.Server(_root, Host), _root, extensions => extensions, HashAlgorithmName.SHA1);

        var verdict = new CustomRootTrustValidator(Options(_root)).Validate(leaf, [], Host);

        verdict.Failure.Should().Be(TrustFailure.WeakCryptography);
        verdict.Summary.Should().Contain("signed with ecdsa-with-SHA1 (SHA-1)");
    }

    [Fact]
    public void Validate_Sha1SelfSignatureOfTheAnchor_NotHeldAgainstIt()
    {
        var root = DerForge.Rewrite(_root, _root, extensions => extensions, HashAlgorithmName.SHA1);
        using var keyedRoot = root.CopyWithPrivateKey(_root.GetECDsaPrivateKey()!);
        var leaf = Pki.Server(keyedRoot, Host);

        var verdict = new CustomRootTrustValidator(Options(keyedRoot)).Validate(leaf, [], Host);

        verdict.IsTrusted.Should().BeTrue(verdict.Reason);
    }

    // 5. No common-name fallback unless asked, and never for IPs or under name constraints.

    [Fact]
    public async Task Handshake_CommonNameOnlyCertificate_NameMismatchSayingNoSubjectAltName()
    {
        var leaf = Pki.Issue(Host, _root, new Pki.Spec { Eku = ["1.3.6.1.5.5.7.3.1"] });

        var rejection = await HandshakeRejection(Options(_root), leaf);

        rejection.Failure.Should().Be(TrustFailure.NameMismatch);
        rejection.Reason.Should().Contain("has no subjectAltName");
        rejection.Message.Should().Contain("subjectAltName=DNS:model.internal").And.Contain("AllowCommonNameFallback");
    }

    [Fact]
    public void Validate_CommonNameOnlyWithFallbackAllowed_TrustedForDnsName()
    {
        var leaf = Pki.Issue(Host, _root, new Pki.Spec());
        var options = Options(_root);
        options.AllowCommonNameFallback = true;

        new CustomRootTrustValidator(options).Validate(leaf, [], Host).IsTrusted.Should().BeTrue();
    }

    [Fact]
    public void Validate_CommonNameIsIpAddressWithFallbackAllowed_NameMismatch()
    {
        var leaf = Pki.Issue("127.0.0.1", _root, new Pki.Spec());
        var options = Options(_root);
        options.AllowCommonNameFallback = true;

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, [], "127.0.0.1");

        verdict.Failure.Should().Be(TrustFailure.NameMismatch);
        verdict.Summary.Should().Contain("an IP address is never matched against a common name");
    }

    [Fact]
    public void Validate_CommonNameOutsideNameConstraintsWithFallbackAllowed_NameMismatch()
    {
        var constrained = Pki.Intermediate("Constrained CA", _root, new Pki.Spec { PermittedDnsSubtree = "corp.example" });
        var leaf = Pki.Issue(Host, constrained, new Pki.Spec());
        var options = Options(_root);
        options.AllowCommonNameFallback = true;

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, [constrained], Host);

        verdict.IsTrusted.Should().BeFalse();
        verdict.Summary.Should().Contain("name constraints");
    }

    // 6. Names from certificates cannot forge lines.

    [Fact]
    public async Task Handshake_IssuerNameWithLineFeed_EscapedInEveryText()
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName("Evil Root\nINFO forged line");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(builder.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        var leaf = Pki.Server(root, Host);

        var rejection = await HandshakeRejection(Options(_root), leaf);
        var verdict = new CustomRootTrustValidator(Options(_root)).Validate(leaf, [], Host);

        foreach (var text in new[] { rejection.Message, rejection.Reason, verdict.Reason, verdict.Summary, verdict.Fix })
        {
            text.Should().NotContain("\nINFO forged line");
        }

        rejection.Reason.Should().Contain("Evil Root\\nINFO forged line");
    }

    // 8. Hosts written in Unicode.

    [Fact]
    public async Task Handshake_UnicodeHostPattern_MatchesThePunycodeNameAndAppliesPins()
    {
        const string Punycode = "xn--bcher-kva.corp.example";
        var leaf = Pki.Server(_root, Punycode);
        var options = Options(_root);
        options.Hosts.Add("bücher.corp.example");
        options.PinnedSpkiSha256.Add(Pki.SpkiPin(Pki.Root("Some Other Key")));

        var rejection = await HandshakeRejection(options, leaf, "bücher.corp.example");

        rejection.Failure.Should().Be(TrustFailure.PinMismatch, "the host is in scope, so the pin applies");
        new CustomRootTrustValidator(options).Validate(leaf, [], "bücher.corp.example").Failure.Should().Be(TrustFailure.PinMismatch);
    }

    [Fact]
    public void Constructor_HostPatternThatIsNotAnIdn_ClearError()
    {
        var options = Options(_root);
        options.Hosts.Add("bad\u00ADname-.\u0000.example");

        var act = () => new CustomRootTrustValidator(options);

        act.Should().Throw<ArgumentException>().WithMessage("*Hosts*");
    }

    // 9. Revocation reasons say what the chain engine found and where the CRL cache is.

    [Fact]
    public void Validate_OnlineRevocationWithUnreachableCrl_ReasonSaysWhatTheChainStatusSays()
    {
        var leaf = Pki.Issue(Host, _root, new Pki.Spec
        {
            DnsNames = [Host],
            Extra = request => request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(["http://127.0.0.1:1/none.crl"])),
        });
        var options = Options(_root);
        options.RevocationMode = X509RevocationMode.Online;

        var verdict = new CustomRootTrustValidator(options).Validate(leaf, [], Host);

        verdict.Failure.Should().Be(TrustFailure.Revocation);
        (verdict.Summary.Contains("(offline)", StringComparison.Ordinal) || verdict.Fix.Contains(Path.Combine(".dotnet", "corefx", "cryptography", "crls"), StringComparison.Ordinal))
            .Should().BeTrue(verdict.Reason);
        verdict.Summary.Should().NotContain("no CRL or OCSP answer within");
    }
}
