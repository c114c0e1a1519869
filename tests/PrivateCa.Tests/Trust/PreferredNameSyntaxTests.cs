using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// A dNSName must be in preferred name syntax (RFC 5280 §4.2.1.6) in every profile: 'secret.corp.example.' slips past a
/// CA's exclusion of 'secret.corp.example' in OpenSSL's constraint check, so it is refused as malformed, with the same
/// verdict offline and in a handshake.
/// </summary>
public sealed class PreferredNameSyntaxTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Syntax Root");
    private readonly X509Certificate2 _excluding;

    public PreferredNameSyntaxTests()
    {
        _excluding = Pki.Intermediate("Excluding CA", _root, new Pki.Spec { Extra = r => r.CertificateExtensions.Add(NameConstraintsDer.Extension([], ["DNS:secret.corp.example"])) });
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string, ValidationProfile> Cases()
    {
        var data = new TheoryData<string, string, ValidationProfile>();
        foreach (var profile in new[] { ValidationProfile.Platform, ValidationProfile.Strict })
        {
            data.Add("secret.corp.example.", "secret.corp.example", profile);
            data.Add("public.corp.example,secret.corp.example.", "public.corp.example", profile);
            data.Add("public.corp.example,secret..corp.example", "public.corp.example", profile);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Validate_DnsNameNotInPreferredSyntax_MalformedOfflineAndInHandshake(string sans, string host, ValidationProfile profile)
    {
        var leaf = Leaf(sans.Split(','));
        var options = Options(profile);

        var offline = new CustomRootTrustValidator(options).Validate(leaf, [_excluding], host);

        offline.Failure.Should().Be(TrustFailure.MalformedCertificate, offline.Reason);
        offline.Summary.Should().Contain("is not in preferred name syntax");
        await using var server = await RawTlsServer.StartAsync(leaf, [_excluding]);
        using var client = LoopbackClient.For(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());
        var (_, error) = await LoopbackClient.TryGetAsync(client, server.Url(host));
        var rejection = CertificateTrustException.Find(error!);
        rejection.Should().NotBeNull(error?.ToString());
        rejection!.Failure.Should().Be(offline.Failure);
        rejection.Summary.Should().Be(offline.Summary);
    }

    [Fact]
    public void Validate_TrailingDot_ReasonSaysWhy()
    {
        var verdict = new CustomRootTrustValidator(Options(ValidationProfile.Platform)).Validate(Leaf(["secret.corp.example."]), [_excluding], "secret.corp.example");

        verdict.Summary.Should().Contain("the dNSName 'secret.corp.example.' in its subjectAltName is not in preferred name syntax: it ends with a dot");
    }

    [Fact]
    public void Validate_UnderscoreInInternalName_StillTrustedUnderPlatform()
    {
        var verdict = new CustomRootTrustValidator(Options(ValidationProfile.Platform)).Validate(Leaf(["model_a.corp.example"]), [_excluding], "model_a.corp.example");

        verdict.IsTrusted.Should().BeTrue(verdict.Reason);
    }

    private X509Certificate2 Leaf(string[] names) => Pki.Issue("leaf", _excluding, new Pki.Spec
    {
        Eku = ["1.3.6.1.5.5.7.3.1"],
        Extra = r => r.CertificateExtensions.Add(new X509Extension("2.5.29.17", NameConstraintsDer.SubjectAltName(names.Select(n => "DNS:" + n)), false)),
    });

    private PrivateCaTrustOptions Options(ValidationProfile profile)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false, Profile = profile };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(_root)));
        return options;
    }
}
