using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Cli;

/// <summary>Each shared trust option is bound to <see cref="PrivateCaTrustOptions"/> and changes the verdict where it should.</summary>
public sealed class TrustOptionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Option Root");
    private readonly X509Certificate2 _issuing;
    private readonly string _chain;

    public TrustOptionTests()
    {
        _issuing = Pki.Intermediate("Option Issuing", _root);
        _chain = _dir.Write("chain.pem", Pki.PemOf(Pki.Server(_issuing, "model.internal"), _issuing));
    }

    public void Dispose() => _dir.Dispose();

    private string RootBundle => _dir.Write("root.pem", Pki.PemOf(_root));

    private static async Task<(int ExitCode, string Failure)> Verify(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (exit, output, error) = await Tool.Run(environment, ["verify", "--host", "model.internal", "--json", .. arguments]);
        return (exit, exit is 0 or 3 ? JsonNode.Parse(output)!["failure"]!.GetValue<string>() : error);
    }

    private static Task<(int ExitCode, string Failure)> Verify(params string[] arguments) => Verify(new Dictionary<string, string>(), arguments);

    [Fact]
    public async Task Verify_ModeSystemAndCustomRoots_AddsTheSystemRoots()
    {
        // On Linux the runtime's system store is what SSL_CERT_FILE names: here, a root the bundle does not hold.
        var other = _dir.Write("other.pem", Pki.PemOf(Pki.Root("Option Other Root")));
        var system = new Dictionary<string, string> { ["SSL_CERT_FILE"] = _dir.Write("system.pem", Pki.PemOf(_root)) };

        var custom = await Verify(system, "--bundle", other, "--chain", _chain);
        var both = await Verify(system, "--bundle", other, "--chain", _chain, "--mode", "SystemAndCustomRoots");

        custom.Should().Be((3, "UntrustedRoot"));
        both.Should().Be((0, "None"));
    }

    [Fact]
    public async Task Verify_AllowIntermediateAnchors_LetsTheIssuingCaEndTheChain()
    {
        var intermediateOnly = _dir.Write("issuing.pem", Pki.PemOf(_issuing));

        var refused = await Verify("--bundle", intermediateOnly, "--chain", _chain);
        var allowed = await Verify("--bundle", intermediateOnly, "--chain", _chain, "--allow-intermediate-anchors");

        refused.ExitCode.Should().Be(3);
        allowed.Should().Be((0, "None"));
    }

    [Fact]
    public async Task Verify_AllowCommonNameFallback_MatchesTheCommonNameOfACertificateWithoutSubjectAltName()
    {
        var legacy = _dir.Write("legacy.pem", Pki.PemOf(Pki.Issue("model.internal", _issuing, new Pki.Spec { Eku = ["1.3.6.1.5.5.7.3.1"] }), _issuing));

        var refused = await Verify("--bundle", RootBundle, "--chain", legacy);
        var allowed = await Verify("--bundle", RootBundle, "--chain", legacy, "--allow-common-name-fallback");

        refused.Should().Be((3, "NameMismatch"));
        allowed.Should().Be((0, "None"));
    }

    [Fact]
    public async Task Verify_Pin_RequiresThePinnedKeyInTheChain()
    {
        var pinned = await Verify("--bundle", RootBundle, "--chain", _chain, "--pin", Pki.SpkiPin(_issuing));
        var other = await Verify("--bundle", RootBundle, "--chain", _chain, "--pin", Pki.SpkiPin(Pki.Root("Option Pin Stranger")));

        pinned.Should().Be((0, "None"));
        other.Should().Be((3, "PinMismatch"));
    }

    [Fact]
    public async Task Verify_Hosts_BundleAppliesOnlyToTheNamedHosts()
    {
        var inScope = await Verify("--bundle", RootBundle, "--chain", _chain, "--hosts", "other.internal,model.internal");
        var outOfScope = await Verify("--bundle", RootBundle, "--chain", _chain, "--hosts", "other.internal");

        inScope.Should().Be((0, "None"));
        outOfScope.Should().Be((3, "UntrustedRoot"));
    }

    [Fact]
    public async Task Verify_RevocationOnline_ChainWithoutRevocationInformationIsRejected()
    {
        var unchecked_ = await Verify("--bundle", RootBundle, "--chain", _chain);
        var online = await Verify("--bundle", RootBundle, "--chain", _chain, "--revocation", "Online");

        unchecked_.Should().Be((0, "None"));
        online.Should().Be((3, "Revocation"));
    }

    [Fact]
    public async Task Verify_NoBundleOption_ReadsTheEnvironmentAsTheAppDoes()
    {
        var fromVariable = await Verify(new Dictionary<string, string> { ["REQUESTS_CA_BUNDLE"] = RootBundle }, "--chain", _chain);
        var nothingSet = await Tool.Run("verify", "--host", "model.internal", "--chain", _chain);

        fromVariable.Should().Be((0, "None"));
        nothingSet.ExitCode.Should().Be(2);
        nothingSet.Error.Should().Contain("no --bundle was given, so the environment variables were read");
    }
}
