using System.Text.Json.Nodes;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Cli;

/// <summary>Whatever the arguments, the tool ends with one line on standard error and a documented exit code.</summary>
public sealed class ArgumentTests : IDisposable
{
    private const int Usage = 1;
    private const int BadInput = 2;
    private static readonly string Chain = Path.Combine(Path.GetTempPath(), "privateca-tests-no-such-chain.pem");

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string[], int> BadArguments() => new()
    {
        { [], Usage },
        { ["bogus"], Usage },
        { ["inspect"], Usage },
        { ["verify", "--bogus"], Usage },
        { ["inspect", ""], BadInput },
        { ["inspect", "/no/such/bundle.pem"], BadInput },
        { ["merge", "--add", "/etc/ssl/certs/ca-certificates.crt"], Usage },
        { ["merge", "--out", "/tmp/privateca-never-written.pem"], Usage },
        { ["merge", "--system", "--out", ""], BadInput },
        { ["merge", "--add", "", "--out", "/tmp/privateca-never-written.pem"], BadInput },
        { ["probe"], Usage },
        { ["probe", "not a url"], BadInput },
        { ["probe", "http://127.0.0.1/"], BadInput },
        { ["probe", "https://"], BadInput },
        { ["probe", "https://127.0.0.1/", "--timeout", "-1"], BadInput },
        { ["probe", "https://127.0.0.1/", "--timeout", "NaN"], BadInput },
        { ["probe", "https://127.0.0.1/", "--timeout", "1e300"], BadInput },
        { ["probe", "https://127.0.0.1/", "--timeout", "soon"], BadInput },
        { ["probe", "https://127.0.0.1/", "--proxy", "ftp://127.0.0.1/"], BadInput },
        { ["probe", "https://127.0.0.1/", "--bundle", "/etc/ssl/certs/ca-certificates.crt", "--client-key", "/tmp/privateca-no-key.pem"], BadInput },
        { ["verify", "--host", "model.internal"], Usage },
        { ["verify", "--chain", Chain, "--host", ""], BadInput },
        { ["verify", "--chain", "", "--host", "model.internal"], BadInput },
        { ["verify", "--chain", Chain, "--host", "model.internal", "--mode", "Anything"], BadInput },
        { ["verify", "--chain", Chain, "--host", "model.internal", "--pin", "not-base64"], BadInput },
        { ["verify", "--chain", Chain, "--host", "model.internal", "--hosts", "bad host!"], BadInput },
        { ["verify", "--chain", Chain, "--host", "model.internal", "--bundle", "/no/such/bundle.pem"], BadInput },
        { ["verify", "--chain", Chain, "--host", "model.internal", "--bundle", "/etc/ssl/certs/ca-certificates.crt"], BadInput },
        { ["verify", "--chain", Chain, "--host", "model.internal", "--bundle", "/etc/hostname"], BadInput },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Run_BadArguments_OneLineOnStandardErrorAndDocumentedExitCode(string[] arguments, int expected)
    {
        var (exit, output, error) = await Tool.Run(arguments);

        exit.Should().Be(expected, error);
        output.Should().BeEmpty();
        error.Should().EndWith("\n").And.NotContain("   at ").And.NotContain("Unhandled");
        error.TrimEnd('\n').Split('\n').Should().ContainSingle().Which.Should().StartWith("privateca: ");
    }

    [Fact]
    public async Task Help_RootAndProbe_NameThePrivatecaCommandAndEveryTrustOption()
    {
        var root = await Tool.Run("--help");
        var probe = await Tool.Run("probe", "--help");
        var verify = await Tool.Run("verify", "--help");

        root.ExitCode.Should().Be(0);
        root.Output.Should().Contain("privateca [command] [options]").And.NotContain("PrivateCa.Cli");
        probe.Output.Should().Contain("privateca probe <url> [options]");
        string[] shared = ["--bundle", "--mode", "--profile", "--allow-intermediate-anchors", "--allow-common-name-fallback", "--pin", "--hosts", "--revocation", "--json"];
        probe.Output.Should().ContainAll([.. shared, "--client-cert", "--client-key", "--proxy", "--save-chain"]);
        verify.Output.Should().ContainAll(shared);
    }

    [Fact]
    public async Task Json_BeforeOrAfterTheCommand_SameDocument()
    {
        var bundle = _dir.Write("root.pem", Pki.PemOf(Pki.Root("Json Root")));

        var before = await Tool.Run("--json", "inspect", bundle);
        var after = await Tool.Run("inspect", bundle, "--json");

        before.ExitCode.Should().Be(0);
        JsonNode.Parse(before.Output)!["certificates"]!.AsArray().Should().ContainSingle();
        after.Output.Should().Be(before.Output);
    }
}
