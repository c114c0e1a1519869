using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// Strict does bounded work: a self-signed attacker CA with a thousand permitted subtrees and a 1,001-name leaf costs a
/// Strict verdict no more than twice a Platform one (it gets only the cheap checks before trust is known), and a path that
/// does reach an anchor stops at Go's 250,000 name-constraint comparisons and at ten reported violations.
/// </summary>
public sealed class StrictBoundedWorkTests : IDisposable
{
    private const string Host = "n0.hostile.example";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Validate_HostileUntrustedChainUnderStrict_CostsAtMostTwicePlatform()
    {
        var attacker = Pki.Root("Attacker CA", new Pki.Spec { Extra = r => r.CertificateExtensions.Add(NameConstraintsDer.Extension(Subtrees(1000), [])) });
        var leaf = HostileLeaf(attacker, 1001);
        var platform = Validator(Pki.Root("Our Root"), ValidationProfile.Platform);
        var strict = Validator(Pki.Root("Our Root 2"), ValidationProfile.Strict);
        platform.Validate(leaf, [attacker], Host);
        strict.Validate(leaf, [attacker], Host);

        var (platformVerdict, platformBytes) = Measured(() => platform.Validate(leaf, [attacker], Host));
        var (strictVerdict, strictBytes) = Measured(() => strict.Validate(leaf, [attacker], Host));

        platformVerdict.Failure.Should().Be(TrustFailure.UntrustedRoot);
        strictVerdict.Failure.Should().Be(TrustFailure.UntrustedRoot);
        strictVerdict.Reason.Should().NotContain("Strict profile rule").And.NotContain("permitted subtrees");
        strictBytes.Should().BeLessThan(2 * platformBytes, $"Platform allocated {platformBytes:N0} bytes");
    }

    [Fact]
    public void Validate_AnchoredPathOverComparisonBound_RejectedWithoutComparingEverything()
    {
        var root = Pki.Root("Wide Root", new Pki.Spec { Extra = r => r.CertificateExtensions.Add(NameConstraintsDer.Extension(Subtrees(600), [])) });
        var leaf = HostileLeaf(root, 600);
        var validator = Validator(root, ValidationProfile.Strict);

        var verdict = validator.Validate(leaf, [], Host);

        verdict.Failure.Should().Be(TrustFailure.NameConstraints);
        verdict.Summary.Should().Contain("more than 250,000 comparisons");
    }

    [Fact]
    public void Validate_AnchoredPathWithManyViolations_ReportsTenAndStops()
    {
        var root = Pki.Root("Narrow Root", new Pki.Spec { Extra = r => r.CertificateExtensions.Add(NameConstraintsDer.Extension(Subtrees(40), [])) });
        var leaf = Pki.Issue(Host, root, new Pki.Spec
        {
            Eku = ["1.3.6.1.5.5.7.3.1"],
            Extra = r => r.CertificateExtensions.Add(new X509Extension("2.5.29.17",
                NameConstraintsDer.SubjectAltName(["DNS:" + Host, .. Enumerable.Range(0, 200).Select(i => $"DNS:x{i}.elsewhere.example")]), false)),
        });

        var verdict = Validator(root, ValidationProfile.Strict).Validate(leaf, [], Host);

        verdict.Failure.Should().Be(TrustFailure.NameConstraints);
        verdict.Reason.Should().Contain("x8.elsewhere.example").And.NotContain("x9.elsewhere.example")
            .And.Contain("more names break the name constraints of the path (PrivateCa stops after 10)")
            .And.Contain("and 30 more");
    }

    private static (TrustVerdict Verdict, long Bytes) Measured(Func<TrustVerdict> validate)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var verdict = validate();
        return (verdict, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string[] Subtrees(int count) => [.. Enumerable.Range(0, count).Select(i => $"DNS:s{i}.hostile.example")];

    private static X509Certificate2 HostileLeaf(X509Certificate2 issuer, int names) => Pki.Issue(Host, issuer, new Pki.Spec
    {
        Eku = ["1.3.6.1.5.5.7.3.1"],
        Extra = r => r.CertificateExtensions.Add(new X509Extension("2.5.29.17",
            NameConstraintsDer.SubjectAltName(Enumerable.Range(0, names).Select(i => $"DNS:n{i}.hostile.example")), false)),
    });

    private CustomRootTrustValidator Validator(X509Certificate2 anchor, ValidationProfile profile)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false, Profile = profile };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(anchor)));
        return new CustomRootTrustValidator(options);
    }
}
