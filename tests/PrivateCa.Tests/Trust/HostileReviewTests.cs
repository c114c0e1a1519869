using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// What a hostile review of the allowlist, name and download changes tried (issue 22): each test states what the design
/// promises, and the ones that failed were findings, fixed.
/// </summary>
public sealed class HostileReviewTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private PrivateCaTrustOptions Options(ValidationProfile profile, params X509Certificate2[] anchors)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false, Profile = profile };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(anchors)));
        return options;
    }

    // ---- 1. SslStream writes each server's certificates into the handler's one shared X509ChainPolicy ----

    [Fact]
    public async Task IntermediateSentByAnEarlierServer_CompletesALaterServersChain()
    {
        var root = Pki.Root($"Shared Policy Root {Guid.NewGuid():N}");
        var intermediate = Pki.Intermediate("Shared Policy Intermediate", root);
        var leafA = Pki.Server(intermediate, "a.internal");
        var leafB = Pki.Server(intermediate, "b.internal");
        var options = Options(ValidationProfile.Platform, root);
        await using var a = await RawTlsServer.StartAsync(leafA, [intermediate]);
        await using var b = await RawTlsServer.StartAsync(leafB); // B never sends the intermediate
        var factory = new TrustedHandlerFactory(options);

        // Control: on its own, B is rejected (its chain cannot be built, and nothing is downloaded).
        using (var fresh = LoopbackClient.For(factory.CreateSocketsHttpHandler()))
        {
            var (_, alone) = await LoopbackClient.TryGetAsync(fresh, b.Url("b.internal"));
            CertificateTrustException.Find(alone!)!.Failure.Should().Be(TrustFailure.UntrustedRoot);
        }

        var handler = factory.CreateSocketsHttpHandler();
        var policy = handler.SslOptions.CertificateChainPolicy!;
        using var client = LoopbackClient.For(handler);
        var (_, errorA) = await LoopbackClient.TryGetAsync(client, a.Url("a.internal"));
        errorA.Should().BeNull();

        // The handler's policy object must not keep what one server sent ...
        policy.ExtraStore.Count.Should().Be(0, "a handshake must not write the server's certificates into the handler's shared chain policy");

        // ... and a second server on the same handler must not be judged with the first one's intermediates.
        var (_, errorB) = await LoopbackClient.TryGetAsync(client, b.Url("b.internal"));
        errorB.Should().NotBeNull("b.internal sent no intermediate; only a.internal's earlier handshake supplied it");
        CertificateTrustException.Find(errorB!)!.Failure.Should().Be(TrustFailure.UntrustedRoot);
    }

    [Fact]
    public async Task ManyHandshakes_SharedPolicyExtraStoreStaysEmpty()
    {
        var root = Pki.Root($"Growth Root {Guid.NewGuid():N}");
        var intermediate = Pki.Intermediate("Growth Intermediate", root);
        var leaf = Pki.Server(intermediate, "model.internal");
        await using var server = await RawTlsServer.StartAsync(leaf, [intermediate]);
        var handler = new TrustedHandlerFactory(Options(ValidationProfile.Platform, root)).CreateSocketsHttpHandler();
        var policy = handler.SslOptions.CertificateChainPolicy!;
        using var client = LoopbackClient.For(handler);
        for (var i = 0; i < 5; i++)
        {
            var (_, error) = await LoopbackClient.TryGetAsync(client, server.Url("model.internal"));
            error.Should().BeNull();
        }

        policy.ExtraStore.Count.Should().Be(0, "every new connection's certificates accumulate otherwise (memory, cache keys, cross-server chain building)");
    }

    // ---- 2. IPv4-mapped IPv6 in a subjectAltName escapes an IPv4 name constraint, though Hosts treats both as one address ----

    [Theory]
    [InlineData(ValidationProfile.Platform, "10.0.0.7")]
    [InlineData(ValidationProfile.Platform, "::ffff:10.0.0.7")]
    [InlineData(ValidationProfile.Strict, "10.0.0.7")]
    [InlineData(ValidationProfile.Strict, "::ffff:10.0.0.7")]
    public void Ipv4MappedSanUnderIpv4Exclusion_IsNameConstraints(ValidationProfile profile, string host)
    {
        var root = Pki.Root($"IP Constrained Root {Guid.NewGuid():N}", new Pki.Spec
        {
            Extra = r => r.CertificateExtensions.Add(NameConstraintsDer.Extension([], ["IP:10.0.0.0/8"])),
        });
        var mapped = Pki.Issue("mapped", root, new Pki.Spec { IpAddresses = [IPAddress.Parse("::ffff:10.0.0.7")], Eku = ["1.3.6.1.5.5.7.3.1"] });
        var plain = Pki.Issue("plain", root, new Pki.Spec { IpAddresses = [IPAddress.Parse("10.0.0.7")], Eku = ["1.3.6.1.5.5.7.3.1"] });
        var validator = new CustomRootTrustValidator(Options(profile, root));

        // Control: the plain IPv4 spelling is excluded.
        validator.Validate(plain, [], "10.0.0.7").Failure.Should().Be(TrustFailure.NameConstraints);

        var verdict = validator.Validate(mapped, [], host);

        verdict.IsTrusted.Should().BeFalse($"::ffff:10.0.0.7 is 10.0.0.7 (HostScope itself canonicalises it), which the root excludes; got: {verdict.Reason}");
    }

    [Theory]
    [InlineData(ValidationProfile.Platform)]
    [InlineData(ValidationProfile.Strict)]
    public void Ipv4SanUnderExclusionWrittenInMappedForm_IsNameConstraints(ValidationProfile profile)
    {
        var root = Pki.Root($"Mapped Exclusion Root {Guid.NewGuid():N}", new Pki.Spec
        {
            Extra = r => r.CertificateExtensions.Add(NameConstraintsDer.Extension([], ["IP:::ffff:10.0.0.0/104"])),
        });
        var plain = Pki.Issue("plain", root, new Pki.Spec { IpAddresses = [IPAddress.Parse("10.0.0.7")], Eku = ["1.3.6.1.5.5.7.3.1"] });
        var elsewhere = Pki.Issue("elsewhere", root, new Pki.Spec { IpAddresses = [IPAddress.Parse("192.168.0.7")], Eku = ["1.3.6.1.5.5.7.3.1"] });
        var validator = new CustomRootTrustValidator(Options(profile, root));

        validator.Validate(plain, [], "10.0.0.7").Failure.Should().Be(TrustFailure.NameConstraints);
        validator.Validate(elsewhere, [], "192.168.0.7").IsTrusted.Should().BeTrue();
    }

    [Fact]
    public async Task Ipv4MappedSanUnderIpv4Exclusion_HandshakeToMappedAddressIsRejected()
    {
        var root = Pki.Root($"IP Constrained Root {Guid.NewGuid():N}", new Pki.Spec
        {
            Extra = r => r.CertificateExtensions.Add(NameConstraintsDer.Extension([], ["IP:10.0.0.0/8"])),
        });
        var mapped = Pki.Issue("mapped", root, new Pki.Spec { IpAddresses = [IPAddress.Parse("::ffff:10.0.0.7")], Eku = ["1.3.6.1.5.5.7.3.1"] });
        await using var server = await RawTlsServer.StartAsync(mapped);
        using var client = LoopbackClient.For(new TrustedHandlerFactory(Options(ValidationProfile.Platform, root)).CreateSocketsHttpHandler());

        // https://[::ffff:10.0.0.7]/ is a connection to 10.0.0.7, an address the root's constraints exclude.
        var (body, error) = await LoopbackClient.TryGetAsync(client, server.Url("[::ffff:10.0.0.7]"));

        body.Should().BeNull("the leaf's only name is 10.0.0.7 in its IPv4-mapped spelling, inside the excluded 10.0.0.0/8");
        error.Should().NotBeNull();
    }

    [Fact]
    public void HttpClientHandlerHostForIpv6Literal_IsJudgedAsTheAddress()
    {
        // HttpClientHandler's callback passes request.RequestUri.IdnHost, which keeps an IPv6 literal's brackets.
        var idnHost = new Uri("https://[::1]:8443/").IdnHost;
        var root = Pki.Root($"V6 Root {Guid.NewGuid():N}");
        var leaf = Pki.Issue("v6", root, new Pki.Spec { IpAddresses = [IPAddress.IPv6Loopback], Eku = ["1.3.6.1.5.5.7.3.1"] });

        var verdict = new CustomRootTrustValidator(Options(ValidationProfile.Platform, root)).Validate(leaf, [], idnHost);

        verdict.IsTrusted.Should().BeTrue($"the certificate is for IP ::1 and the host is '{idnHost}'; got: {verdict.Reason}");
    }

    // ---- 3. An EC "P-256" key that is no point on the curve is on the allowlist ----

    [Fact]
    public void EcKeyNotOnCurve_IsNotTrusted()
    {
        var root = Pki.Root($"Curve Root {Guid.NewGuid():N}");
        var point = new byte[65];
        point[0] = 0x04; // (0, 0): not on P-256
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.10045.2.1");
                writer.WriteObjectIdentifier("1.2.840.10045.3.1.7");
            }

            writer.WriteBitString(point);
        }

        var key = PublicKey.CreateFromSubjectPublicKeyInfo(writer.Encode(), out _);
        var request = new CertificateRequest(new X500DistinguishedName("CN=model.internal"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("model.internal");
        request.CertificateExtensions.Add(san.Build());
        using var rootKey = root.GetECDsaPrivateKey()!;
        using var leaf = request.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);

        foreach (var profile in new[] { ValidationProfile.Platform, ValidationProfile.Strict })
        {
            var verdict = new CustomRootTrustValidator(Options(profile, root)).Validate(leaf, [], "model.internal");
            verdict.IsTrusted.Should().BeFalse($"{profile}: an EC key whose point is not on P-256 is no P-256 key (Go's parser refuses the certificate)");
        }
    }

    // ---- 4. A SHA-1 self-signed root (its own signature is never relied on) is blamed when the chain has any other fault ----

    [Fact]
    public void ExpiredLeafUnderSha1SelfSignedRoot_IsReportedAsExpired()
    {
        var root = Pki.Root($"Legacy Root {Guid.NewGuid():N}");
        var sha1Root = DerForge.Rewrite(root, root, e => e, HashAlgorithmName.SHA1); // same name and key, self-signature ecdsa-with-SHA1
        var fresh = Pki.Server(root, "model.internal");
        var expired = Pki.Issue("model.internal", root, new Pki.Spec
        {
            DnsNames = ["model.internal"],
            Eku = ["1.3.6.1.5.5.7.3.1"],
            NotBefore = DateTimeOffset.UtcNow.AddDays(-10),
            NotAfter = DateTimeOffset.UtcNow.AddDays(-1),
        });
        var validator = new CustomRootTrustValidator(Options(ValidationProfile.Platform, sha1Root));

        // Control: the anchor's own SHA-1 self-signature does not count (SecurityFloor skips it).
        var ok = validator.Validate(fresh, [], "model.internal");
        ok.IsTrusted.Should().BeTrue(ok.Reason);

        var verdict = validator.Validate(expired, [], "model.internal");

        verdict.Failure.Should().Be(TrustFailure.NotTimeValid, $"the leaf expired; the anchor's self-signature is no part of the verdict. Reason: {verdict.Reason}");
    }

    // ---- 5. Platform now runs its own name-constraint evaluation, which refuses names preferred syntax accepts ('_') ----

    [Fact]
    public void UnderscoreSanUnderDnsConstraint_PlatformStaysTrusted()
    {
        var root = Pki.Root($"Underscore Root {Guid.NewGuid():N}", new Pki.Spec { PermittedDnsSubtree = "corp.example" });
        var leaf = Pki.Issue("model.corp.example", root, new Pki.Spec { DnsNames = ["model.corp.example", "_grpc.model.corp.example"], Eku = ["1.3.6.1.5.5.7.3.1"] });

        var verdict = new CustomRootTrustValidator(Options(ValidationProfile.Platform, root)).Validate(leaf, [], "model.corp.example");

        verdict.IsTrusted.Should().BeTrue($"both names are inside corp.example, '_' is accepted by the preferred-syntax rule of every profile, and the platform engine accepts the chain; got: {verdict.Reason}");
    }

    // ---- 6. The 250,000-comparison bound counts a directoryName comparison as one, whatever it costs ----

    [Fact]
    public void MultiValuedRdnAgainstDirectoryNameSubtree_RefusedWithoutComparingEveryValue()
    {
        // 2,500 values in one RDN on both sides: compared as sets, that was seconds of work per handshake. An RDN of more
        // than DirectoryName.MaxValuesPerRdn values is not compared at all: the subject cannot be checked, so it is refused.
        const int values = 2500;
        var root = Pki.Root($"Our Root {Guid.NewGuid():N}");
        var constraint = DirectoryNameConstraint(HugeRdnName(values, upper: true, lastDiffers: false));
        var partner = Pki.Intermediate("Partner CA", root, new Pki.Spec
        {
            Extra = r => r.CertificateExtensions.Add(new X509Extension("2.5.29.30", constraint, critical: true)),
        });
        var leaf = LeafWithRawSubject(partner, HugeRdnName(values, upper: false, lastDiffers: true));
        var sameValues = LeafWithRawSubject(partner, HugeRdnName(values, upper: false, lastDiffers: false));
        var platform = new CustomRootTrustValidator(Options(ValidationProfile.Platform, root));
        var strict = new CustomRootTrustValidator(Options(ValidationProfile.Strict, root));

        // Platform leaves a subtree it cannot read to the platform engine, which rejects the different value.
        platform.Validate(leaf, [partner], "model.internal").Failure.Should().Be(TrustFailure.NameConstraints);
        var verdict = strict.Validate(sameValues, [partner], "model.internal");
        verdict.Failure.Should().Be(TrustFailure.NameConstraints, "under Strict an RDN too large to compare is refused even when it would match");
        verdict.Summary.Should().Contain("cannot be evaluated");
    }

    /// <summary>A Name of one RDN holding <paramref name="count"/> commonName values (a multi-valued RDN, sorted as DER wants).</summary>
    private static byte[] HugeRdnName(int count, bool upper, bool lastDiffers)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSetOf())
        {
            for (var i = 0; i < count; i++)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("2.5.4.3");
                    var text = $"v{i:D5}";
                    if (lastDiffers && i == count - 1)
                    {
                        text = "x99999";
                    }

                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, upper ? text.ToUpperInvariant() : text);
                }
            }
        }

        return writer.Encode();
    }

    private static byte[] DirectoryNameConstraint(byte[] name)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
        {
            writer.WriteEncodedValue(name);
        }

        return writer.Encode();
    }

    private static X509Certificate2 LeafWithRawSubject(X509Certificate2 issuer, byte[] subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("model.internal");
        request.CertificateExtensions.Add(san.Build());
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        using var cert = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [5, 6, 7, 8]);
        return cert.CopyWithPrivateKey(key);
    }
}
