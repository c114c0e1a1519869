using System.Net;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>The offline engine gives the verdict and the words a handshake gives, for the trust engine's case matrix.</summary>
public sealed class CustomRootTrustValidatorTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Offline Root");
    private readonly X509Certificate2 _issuing;

    public CustomRootTrustValidatorTests()
    {
        _issuing = Pki.Intermediate("Offline Issuing", _root);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Each scenario and the verdict it calls for, stated here and asserted before the two ways are compared.</summary>
    public static TheoryData<string, TrustFailure> Scenarios => new()
    {
        { "trusted", TrustFailure.None },
        { "omitted intermediate", TrustFailure.None },
        { "untrusted root", TrustFailure.UntrustedRoot },
        { "expired", TrustFailure.NotTimeValid },
        { "not yet valid", TrustFailure.NotTimeValid },
        { "name mismatch", TrustFailure.NameMismatch },
        { "ip san", TrustFailure.None },
        { "ca false issuer", TrustFailure.BasicConstraints },
        { "path length", TrustFailure.BasicConstraints },
        { "name constraints", TrustFailure.NameConstraints },
        { "client auth eku", TrustFailure.WrongUsage },
        { "self-signed", TrustFailure.UntrustedRoot },
        { "pin match", TrustFailure.None },
        { "pin mismatch", TrustFailure.PinMismatch },
        { "intermediate anchor", TrustFailure.UntrustedRoot },
        { "intermediate anchor allowed", TrustFailure.None },
        { "system and custom roots", TrustFailure.None },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Validate_SameOptionsAsHandshake_SameVerdictAndSummary(string scenario, TrustFailure expected)
    {
        var (leaf, sent, bundle, host, configure) = Build(scenario);
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(bundle)));
        configure(options);

        await using var server = await RawTlsServer.StartAsync(leaf, sent);
        using var client = LoopbackClient.For(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());
        var handshake = await LoopbackClient.TryGetAsync(client, server.Url(host));
        var offline = new CustomRootTrustValidator(options).Validate(leaf, new X509Certificate2Collection(sent), host);

        offline.Failure.Should().Be(expected, offline.Reason);
        (handshake.Error is null).Should().Be(expected == TrustFailure.None, handshake.Error?.ToString());
        if (handshake.Error is null)
        {
            offline.IsTrusted.Should().BeTrue(offline.Reason);
            offline.Chain.Should().NotBeEmpty();
        }
        else
        {
            var rejection = handshake.Error.InnerException.Should().BeOfType<CertificateTrustException>().Subject;
            offline.IsTrusted.Should().BeFalse();
            offline.Failure.Should().Be(rejection.Failure);
            offline.Summary.Should().Be(rejection.Reason);
            offline.Reason.Should().Be(rejection.Message);
        }
    }

    [Fact]
    public void Validate_AtAGivenInstant_JudgesValidityThen()
    {
        var leaf = Pki.Issue(Host, _issuing, new Pki.Spec { DnsNames = [Host], NotBefore = DateTimeOffset.UtcNow.AddDays(-2), NotAfter = DateTimeOffset.UtcNow.AddDays(2) });
        var validator = Validator(_root);

        validator.Validate(leaf, [_issuing], Host).IsTrusted.Should().BeTrue();
        var later = validator.Validate(leaf, [_issuing], Host, DateTimeOffset.UtcNow.AddDays(5));

        later.IsTrusted.Should().BeFalse();
        later.Failure.Should().Be(TrustFailure.NotTimeValid);
    }

    [Fact]
    public void Validate_Trusted_ChainRunsFromLeafToAnchor()
    {
        var leaf = Pki.Server(_issuing, Host);

        var verdict = Validator(_root).Validate(leaf, [_issuing], Host);

        verdict.Chain.Select(c => c.Subject).Should().Equal($"CN={Host}", "CN=Offline Issuing", "CN=Offline Root");
        verdict.Reason.Should().Contain("anchor 'CN=Offline Root'");
        verdict.Fix.Should().BeEmpty();
    }

    [Fact]
    public void Validate_HostOutsideScope_UsesSystemTrustOnly()
    {
        var validator = Validator(_root, o => o.Hosts.Add("*.corp.example"));

        var verdict = validator.Validate(Pki.Server(_issuing, "elsewhere.internal"), [_issuing], "elsewhere.internal");

        verdict.IsTrusted.Should().BeFalse();
        verdict.Summary.Should().Contain("outside Hosts");
    }

    private CustomRootTrustValidator Validator(X509Certificate2 anchor, Action<PrivateCaTrustOptions>? configure = null)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(anchor)));
        configure?.Invoke(options);
        return new CustomRootTrustValidator(options);
    }

    private (X509Certificate2 Leaf, X509Certificate2[] Sent, X509Certificate2[] Bundle, string Host, Action<PrivateCaTrustOptions> Configure) Build(string scenario)
    {
        static void None(PrivateCaTrustOptions options)
        {
        }

        var good = Pki.Server(_issuing, Host);
        var past = new Pki.Spec { DnsNames = [Host], NotBefore = DateTimeOffset.UtcNow.AddDays(-10), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) };
        var future = new Pki.Spec { DnsNames = [Host], NotBefore = DateTimeOffset.UtcNow.AddDays(1), NotAfter = DateTimeOffset.UtcNow.AddDays(10) };
        switch (scenario)
        {
            case "trusted": return (good, [_issuing], [_root], Host, None);
            case "omitted intermediate": return (good, [], [_root, _issuing], Host, None);
            case "untrusted root":
                var stranger = Pki.Root("Stranger");
                return (Pki.Server(stranger, Host), [], [_root], Host, None);
            case "expired": return (Pki.Issue(Host, _issuing, past), [_issuing], [_root], Host, None);
            case "not yet valid": return (Pki.Issue(Host, _issuing, future), [_issuing], [_root], Host, None);
            case "name mismatch": return (good, [_issuing], [_root], "other.internal", None);
            case "ip san": return (Pki.Issue("ip", _issuing, new Pki.Spec { IpAddresses = [IPAddress.Loopback] }), [_issuing], [_root], "127.0.0.1", None);
            case "ca false issuer":
                var notCa = Pki.Issue("Not CA", _issuing, new Pki.Spec { IsCa = false, KeyUsage = X509KeyUsageFlags.KeyCertSign });
                return (Pki.Server(notCa, Host), [notCa, _issuing], [_root], Host, None);
            case "path length":
                var zero = Pki.Intermediate("Zero", _root, new Pki.Spec { PathLength = 0 });
                var deep = Pki.Intermediate("Deep", zero);
                return (Pki.Server(deep, Host), [deep, zero], [_root], Host, None);
            case "name constraints":
                var constrained = Pki.Intermediate("Constrained", _root, new Pki.Spec { PermittedDnsSubtree = "corp.example" });
                return (Pki.Server(constrained, "x.other.example"), [constrained], [_root], "x.other.example", None);
            case "client auth eku": return (Pki.Issue(Host, _issuing, new Pki.Spec { DnsNames = [Host], Eku = ["1.3.6.1.5.5.7.3.2"] }), [_issuing], [_root], Host, None);
            case "self-signed": return (Pki.Issue(Host, null, new Pki.Spec { DnsNames = [Host] }), [], [_root], Host, None);
            case "pin match": return (good, [_issuing], [_root], Host, o => o.PinnedSpkiSha256.Add(Pki.SpkiPin(good)));
            case "pin mismatch": return (good, [_issuing], [_root], Host, o => o.PinnedSpkiSha256.Add(Pki.SpkiPin(_root) == Pki.SpkiPin(good) ? "x" : Pki.SpkiPin(Pki.Root("Other"))));
            case "intermediate anchor": return (good, [_issuing], [_issuing], Host, None);
            case "intermediate anchor allowed": return (good, [_issuing], [_issuing], Host, o => o.AllowIntermediateAnchors = true);
            case "system and custom roots": return (good, [_issuing], [_root], Host, o => o.Mode = TrustMode.SystemAndCustomRoots);
            default: throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }
    }
}
