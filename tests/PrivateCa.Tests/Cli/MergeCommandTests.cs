using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Cli;

/// <summary>privateca merge as an init container runs it: into a folder that others may write to.</summary>
public sealed class MergeCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Merge_OutIsSymlinkToAnotherFile_ReplacesTheLinkAndLeavesItsTargetUntouched()
    {
        var added = _dir.Write("private.pem", Pki.PemOf(Pki.Root("Merge Link Root")));
        var victim = _dir.Write("victim.txt", "do not touch\n");
        var output = _dir.File("merged.pem");
        File.CreateSymbolicLink(output, victim);

        var (exit, _, error) = await Tool.Run("merge", "--add", added, "--out", output);

        exit.Should().Be(0, error);
        File.ReadAllText(victim).Should().Be("do not touch\n");
        new FileInfo(output).LinkTarget.Should().BeNull("the link itself is replaced by the merged file");
        CertificateBundleLoader.Load(output).Count.Should().Be(1);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Merge_WrittenFile_HasMode0644AndNoTemporaryFileIsLeft()
    {
        var added = _dir.Write("private.pem", Pki.PemOf(Pki.Root("Merge Mode Root")));
        var output = _dir.File("merged.pem");

        var (exit, _, error) = await Tool.Run("merge", "--add", added, "--out", output);

        exit.Should().Be(0, error);
        File.GetUnixFileMode(output).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Directory.GetFiles(_dir.Path, ".*").Should().BeEmpty();
    }

    [Fact]
    public async Task Merge_OutIsADirectory_ExitTwoAndNothingLeftBehind()
    {
        var added = _dir.Write("private.pem", Pki.PemOf(Pki.Root("Merge Dir Root")));
        var output = Directory.CreateDirectory(_dir.File("merged.pem")).FullName;

        var (exit, _, error) = await Tool.Run("merge", "--add", added, "--out", output);

        exit.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith($"privateca: cannot write '{output}'");
        Directory.GetFiles(_dir.Path, ".*").Should().BeEmpty();
    }

    [Fact]
    public async Task Merge_SystemRootDistrustedByAddedBundle_IsLeftOutOfTheOutput()
    {
        var distrusted = OpenSsl.CreateRoot(_dir, "Distrusted System Root").Certificate;
        var other = OpenSsl.CreateRoot(_dir, "Kept Private Root").Certificate;
        var rejected = _dir.File("rejected.pem");
        OpenSsl.Run(_dir.Path, "x509", "-in", distrusted, "-trustout", "-addreject", "serverAuth", "-out", rejected);
        var added = _dir.Write("added.pem", File.ReadAllText(other) + File.ReadAllText(rejected));
        var systemDir = Directory.CreateDirectory(_dir.File("system-dir")).FullName;
        var output = _dir.File("merged.pem");
        var environment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = distrusted, ["SSL_CERT_DIR"] = systemDir };

        var (exit, _, error) = await Tool.Run(environment, "merge", "--system", "--add", added, "--out", output);

        exit.Should().Be(0, error);
        CertificateBundleLoader.Load(output).Certificates.Select(c => c.Subject).Should().Equal("CN=Kept Private Root");
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Merge_OutIsAFifo_ExitTwoAndTheFifoIsNotReplaced()
    {
        var added = _dir.Write("private.pem", Pki.PemOf(Pki.Root("Merge Fifo Root")));
        var output = _dir.File("merged.pem");
        File.CreateSymbolicLink(_dir.File("link.pem"), output);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [output]))
        {
            await mkfifo.WaitForExitAsync();
            mkfifo.ExitCode.Should().Be(0);
        }

        var (exit, _, error) = await Tool.Run("merge", "--add", added, "--out", _dir.File("link.pem"));

        exit.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("not a regular file");
        new FileInfo(_dir.File("link.pem")).LinkTarget.Should().Be(output, "a link to a device or pipe (/dev/stdout) is not replaced either");
        Directory.GetFiles(_dir.Path, ".*").Should().BeEmpty();
    }

    [Theory]
    [InlineData("link/merged.pem")]
    [InlineData("link/sub/merged.pem")]
    public async Task Merge_OutUnderASymlinkedFolder_ExitTwoNamingTheLinkAndNothingWrittenWhereItPoints(string under)
    {
        var added = _dir.Write("private.pem", Pki.PemOf(Pki.Root("Merge Linked Folder Root")));
        var elsewhere = Directory.CreateDirectory(_dir.File("elsewhere")).FullName;
        Directory.CreateDirectory(Path.Combine(elsewhere, "sub"));
        var link = _dir.File("link");
        Directory.CreateSymbolicLink(link, elsewhere);
        var output = _dir.File(under);

        var (exit, _, error) = await Tool.Run("merge", "--add", added, "--out", output);

        exit.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain($"'{output}'").And.Contain($"'{link}' is a symbolic link").And.Contain($"'{elsewhere}'");
        Directory.EnumerateFiles(elsewhere, "*", SearchOption.AllDirectories).Should().BeEmpty("nothing may land where the link points, not even a temporary file");
    }

    [Fact]
    public async Task Merge_OutInsideAnInputFolder_ExitTwoAndNothingWritten()
    {
        var folder = Directory.CreateDirectory(_dir.File("cas")).FullName;
        File.WriteAllText(Path.Combine(folder, "a.pem"), Pki.PemOf(Pki.Root("Merge Inside Root")));
        var output = Path.Combine(folder, "merged.pem");

        var (exit, _, error) = await Tool.Run("merge", "--add", folder, "--out", output);

        exit.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("inside the input folder").And.Contain("would stay in the output");
        File.Exists(output).Should().BeFalse("a later merge would read it back and keep a CA removed from the inputs");
    }

    [Fact]
    public async Task Merge_OutIsAnInputFile_ExitTwoAndTheInputIsUntouched()
    {
        var pem = Pki.PemOf(Pki.Root("Merge Self Root"));
        var added = _dir.Write("private.pem", pem);

        var (exit, _, error) = await Tool.Run("merge", "--add", added, "--out", added);

        exit.Should().Be(2);
        error.Should().Contain("is an input");
        File.ReadAllText(added).Should().Be(pem);
    }

    [Fact]
    public async Task Merge_SystemWhileSslCertFileNamesTheOutput_ExitTwoAndTheOutputIsUntouched()
    {
        var added = _dir.Write("private.pem", Pki.PemOf(Pki.Root("Merge Env Root")));
        var previous = Pki.PemOf(Pki.Root("Merge Rotated Away Root"));
        var output = _dir.Write("merged.pem", previous);
        var environment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = output, ["SSL_CERT_DIR"] = Directory.CreateDirectory(_dir.File("empty")).FullName };

        var (exit, _, error) = await Tool.Run(environment, "merge", "--system", "--add", added, "--out", output);

        exit.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("SSL_CERT_FILE");
        File.ReadAllText(output).Should().Be(previous, "read back as system roots, a rotated-away CA would never leave the output");
    }

    [Fact]
    public async Task Merge_SubjectWithBidiOverride_CommentAndReportEscapeIt()
    {
        var spoof = Pki.Root("Corp Root \u202Emep.evil");
        var added = _dir.Write("private.pem", Pki.PemOf(spoof));
        var output = _dir.File("merged.pem");

        var (exit, _, error) = await Tool.Run("merge", "--add", added, "--out", output);
        var inspect = await Tool.Run("inspect", added);

        exit.Should().Be(0, error);
        File.ReadAllText(output).Should().NotContain("\u202E").And.Contain("\\u202E");
        inspect.Output.Should().NotContain("\u202E").And.Contain("\\u202E");
    }

    [Fact]
    public async Task Merge_OutInMissingFolder_ExitTwoNamingThePath()
    {
        var added = _dir.Write("private.pem", Pki.PemOf(Pki.Root("Merge Missing Root")));
        var output = _dir.File("no-such-folder/merged.pem");

        var (exit, _, error) = await Tool.Run("merge", "--add", added, "--out", output);

        exit.Should().Be(2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain(output);
    }

    [Fact]
    public async Task Merge_SubjectWithLineFeedAndPemBlock_WritesExactlyOneCertificate()
    {
        var smuggled = Pki.Root("Smuggled Root");
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName("Innocent CA\n" + smuggled.ExportCertificatePem() + "\n# ");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var innocent = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30));
        innocent.Subject.Should().Contain("\n", "the test needs a subject that a verbatim comment would split");
        var added = _dir.Write("innocent.pem", Pki.PemOf(innocent));
        var output = _dir.File("merged.pem");

        var (exit, _, error) = await Tool.Run("merge", "--add", added, "--out", output);

        exit.Should().Be(0, error);
        var merged = CertificateBundleLoader.Load(output);
        merged.Count.Should().Be(1);
        merged.Origins.Single().Sha256.Should().Be(innocent.GetCertHashString(HashAlgorithmName.SHA256));
        File.ReadAllLines(output).Count(l => l.StartsWith("-----BEGIN", StringComparison.Ordinal)).Should().Be(1);
        File.ReadAllLines(output).Should().ContainSingle(l => l.StartsWith("# ", StringComparison.Ordinal) && l.Contains("Innocent CA", StringComparison.Ordinal))
            .Which.Should().Contain("-----BEGIN CERTIFICATE-----", "the whole subject stays on its comment line");
    }
}
