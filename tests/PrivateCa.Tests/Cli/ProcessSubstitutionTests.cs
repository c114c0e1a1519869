using System.Runtime.Versioning;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Cli;

/// <summary>
/// File arguments that bash hands the tool as /dev/fd/N: <c>--chain &lt;(cat chain.pem)</c> is read like a file (once, up to
/// the loader's size limit); what cannot be read to an end is refused with its reason, never waited on.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ProcessSubstitutionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _root;
    private readonly string _chain;

    public ProcessSubstitutionTests()
    {
        var root = Pki.Root("Substitution Root");
        _root = _dir.Write("root.pem", Pki.PemOf(root));
        _chain = _dir.Write("chain.pem", Pki.PemOf(Pki.Server(root, "model.internal")));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Verify_ChainFromProcessSubstitution_IsJudged()
    {
        var (exit, output, error) = await Tool.RunShell("""privateca verify --bundle "$1" --chain <(cat "$2") --host model.internal""", _root, _chain);

        exit.Should().Be(0, error);
        output.Should().StartWith("TRUSTED: model.internal");
    }

    [Fact]
    public async Task Verify_BundleFromProcessSubstitution_IsRead()
    {
        var (exit, output, error) = await Tool.RunShell("""privateca verify --bundle <(cat "$1") --chain "$2" --host model.internal""", _root, _chain);

        exit.Should().Be(0, error);
        output.Should().StartWith("TRUSTED: model.internal");
    }

    [Fact]
    public async Task Verify_ChainPipedToDevStdin_IsJudged()
    {
        var (exit, output, error) = await Tool.RunShell("""cat "$2" | privateca verify --bundle "$1" --chain /dev/stdin --host model.internal""", _root, _chain);

        exit.Should().Be(0, error);
        output.Should().StartWith("TRUSTED: model.internal");
    }

    [Fact]
    public async Task Inspect_ProcessSubstitution_ListsItsCertificate()
    {
        var (exit, output, error) = await Tool.RunShell("""privateca inspect <(cat "$1")""", _root);

        exit.Should().Be(0, error);
        output.Should().StartWith("1 certificate(s) from 1 file(s):\n  /dev/fd/").And.Contain("CN=Substitution Root");
    }

    [Fact]
    public async Task Verify_ChainFromEndlessPipe_ExitTwoAtTheSizeLimit()
    {
        var (exit, output, error) = await Tool.RunShell("""privateca verify --bundle "$1" --chain <(yes 2>/dev/null) --host model.internal""", _root);

        exit.Should().Be(2);
        output.Should().BeEmpty();
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("'/dev/fd/").And.Contain($"over the {BundleLoadOptions.DefaultMaxFileSize:N0}-byte limit");
    }

    [Fact]
    public async Task Verify_ChainFromWritingSubstitution_ExitTwoSaysItIsTheWritingEnd()
    {
        var (exit, _, error) = await Tool.RunShell("""privateca verify --bundle "$1" --chain >(cat >/dev/null) --host model.internal""", _root);

        exit.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("the writing end of a pipe").And.Contain("<(");
    }

    [Fact]
    public async Task Verify_ChainIsANamedFifoOnADescriptor_ExitTwoWithoutWaitingForAWriter()
    {
        var fifo = _dir.File("chain.fifo");
        (await Tool.RunShell("""mkfifo "$1" """, fifo)).ExitCode.Should().Be(0);

        var (exit, _, error) = await Tool.RunShell("""exec 3<>"$2"; privateca verify --bundle "$1" --chain /dev/fd/3 --host model.internal""", _root, fifo);

        exit.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("'/dev/fd/3'").And.Contain("pipe or device");
    }
}
