using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Cli;

/// <summary>privateca merge --watch as a sidecar: it follows rotations of its inputs and keeps the last good output.</summary>
public sealed class MergeWatchTests : IDisposable
{
    private const string PythonVerify = """
        import socket, ssl, sys
        context = ssl.create_default_context(cafile=sys.argv[1])
        with socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                print(tls.version())
        """;

    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _first = Pki.Root("Watch First Root");
    private readonly X509Certificate2 _second = Pki.Root("Watch Second Root");

    public void Dispose() => _dir.Dispose();

    private string Output => _dir.File("out/ca-certificates.crt");

    private static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private bool OutputHolds(X509Certificate2 certificate) => File.Exists(Output) && File.ReadAllText(Output).Contains(Sha256(certificate), StringComparison.Ordinal);

    /// <summary>A ConfigMap volume as the kubelet writes it: ..timestamp folders, a ..data link, and links to ..data/NAME.</summary>
    private string ConfigMapVolume(X509Certificate2 root)
    {
        var volume = Directory.CreateDirectory(_dir.File("configmap")).FullName;
        _dir.Write("configmap/..2026_11_29_01/ca.crt", Pki.PemOf(root));
        File.CreateSymbolicLink(Path.Combine(volume, "..data"), "..2026_11_29_01");
        File.CreateSymbolicLink(Path.Combine(volume, "ca.crt"), "..data/ca.crt");
        return volume;
    }

    /// <summary>The kubelet's atomic update: a new folder, a ..data_tmp link to it, renamed over ..data.</summary>
    private async Task Rotate(string volume, X509Certificate2 root)
    {
        _dir.Write("configmap/..2026_11_29_02/ca.crt", Pki.PemOf(root));
        File.CreateSymbolicLink(Path.Combine(volume, "..data_tmp"), "..2026_11_29_02");

        // rename(2) of the link itself; File.Move follows a link to a folder and refuses.
        using var rename = Process.Start("mv", ["-T", Path.Combine(volume, "..data_tmp"), Path.Combine(volume, "..data")]);
        await rename.WaitForExitAsync();
        rename.ExitCode.Should().Be(0);
    }

    private async Task<WatchedTool> StartWatching(string input)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        var tool = new WatchedTool("merge", "--add", input, "--out", Output, "--watch", "--interval", "600");
        (await WatchedTool.Eventually(() => tool.Output.Any(l => l.Contains("merge --watch: watching", StringComparison.Ordinal)))).Should().BeTrue(tool.ToString());
        return tool;
    }

    [Fact]
    public async Task MergeWatch_ConfigMapDataSwap_RewritesTheOutputWithinSeconds()
    {
        var volume = ConfigMapVolume(_first);
        await using var tool = await StartWatching(volume);
        OutputHolds(_first).Should().BeTrue();

        await Rotate(volume, _second);

        (await WatchedTool.Eventually(() => OutputHolds(_second))).Should().BeTrue(tool.ToString());
        OutputHolds(_first).Should().BeFalse();
        CertificateBundleLoader.Load(Output).Count.Should().Be(1);
    }

    [Fact]
    public async Task MergeWatch_FileReplacedInPlace_RewritesTheOutputWithinSeconds()
    {
        var input = _dir.Write("private.pem", Pki.PemOf(_first));
        await using var tool = await StartWatching(input);

        await File.WriteAllTextAsync(input, Pki.PemOf(_second));

        (await WatchedTool.Eventually(() => OutputHolds(_second))).Should().BeTrue(tool.ToString());
    }

    [Fact]
    public async Task MergeWatch_BadInput_LogsItAndKeepsTheLastGoodOutput()
    {
        var input = _dir.Write("private.pem", Pki.PemOf(_first));
        await using var tool = await StartWatching(input);
        var good = await File.ReadAllBytesAsync(Output);

        await File.WriteAllTextAsync(input, "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n");
        (await WatchedTool.Eventually(() => tool.Error.Any(l => l.Contains("keeps the last good bundle", StringComparison.Ordinal)))).Should().BeTrue(tool.ToString());

        (await File.ReadAllBytesAsync(Output)).Should().Equal(good);
        tool.Error.Should().ContainSingle().Which.Should().Contain(input).And.Contain("line 1");
        await File.WriteAllTextAsync(input, Pki.PemOf(_second));
        (await WatchedTool.Eventually(() => OutputHolds(_second))).Should().BeTrue("it keeps watching after a bad input: " + tool);
    }

    [Fact]
    public async Task MergeWatch_Sigterm_StopsWithExitCodeZero()
    {
        var input = _dir.Write("private.pem", Pki.PemOf(_first));
        await using var tool = await StartWatching(input);

        await tool.TerminateAsync();

        tool.ExitCode.Should().Be(0, tool.ToString());
        tool.Output.Last().Should().EndWith("merge --watch: stopping");
    }

    [Fact]
    public async Task MergeWatch_PythonSslWithTheWrittenFile_VerifiesTheServerBeforeAndTheRotatedServerAfter()
    {
        await using var before = await TlsServer.StartAsync(Pki.Issue("sidecar", _first, new Pki.Spec { DnsNames = ["localhost"], Eku = ["1.3.6.1.5.5.7.3.1"] }));
        await using var after = await TlsServer.StartAsync(Pki.Issue("sidecar", _second, new Pki.Spec { DnsNames = ["localhost"], Eku = ["1.3.6.1.5.5.7.3.1"] }));
        var volume = ConfigMapVolume(_first);
        await using var tool = await StartWatching(volume);

        var oldServer = await Python(before.Port);
        var newServerTooEarly = await Python(after.Port);
        await Rotate(volume, _second);
        (await WatchedTool.Eventually(() => OutputHolds(_second))).Should().BeTrue(tool.ToString());
        var newServer = await Python(after.Port);

        oldServer.ExitCode.Should().Be(0, oldServer.Error);
        newServerTooEarly.ExitCode.Should().NotBe(0);
        newServerTooEarly.Error.Should().Contain("CERTIFICATE_VERIFY_FAILED");
        newServer.ExitCode.Should().Be(0, newServer.Error);
    }

    private async Task<(int ExitCode, string Error)> Python(int port)
    {
        var script = _dir.Write("verify.py", PythonVerify);
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(Output);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await error);
    }
}
