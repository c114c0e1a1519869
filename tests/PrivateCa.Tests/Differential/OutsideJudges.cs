using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Differential;

/// <summary>One chain written to disk for the outside verifiers.</summary>
internal sealed record WrittenCase(string Id, string Leaf, string Intermediates, string Roots, string Host, DateTimeOffset At, bool HasIntermediates);

/// <summary>
/// The verifiers nobody here wrote: 'openssl verify -x509_strict -auth_level 2 -purpose sslserver', pyca/cryptography's
/// X.509 verifier (a batch script beside this file) and Go's crypto/x509 (a small program beside this file, built with
/// Debian's golang-go, no module proxy). A judge that is missing fails the test with what to install; none is skipped.
/// </summary>
internal static class OutsideJudges
{
    private static readonly string VerifierFolder = Path.Combine(AppContext.BaseDirectory, "Differential", "Verifiers");

    public static bool OpenSsl(WrittenCase test, string workingDirectory)
    {
        var arguments = new List<string> { "verify", "-x509_strict", "-auth_level", "2", "-purpose", "sslserver" };
        arguments.AddRange(CaseCatalog.IsAddress(test.Host) ? ["-verify_ip", test.Host] : ["-verify_hostname", test.Host]);
        arguments.AddRange(["-CAfile", test.Roots]);
        if (test.HasIntermediates)
        {
            arguments.AddRange(["-untrusted", test.Intermediates]);
        }

        arguments.AddRange(["-attime", test.At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), test.Leaf]);
        var (exit, _, _) = Run("openssl", arguments, workingDirectory, TimeSpan.FromSeconds(30));
        return exit == 0;
    }

    /// <summary>pyca's verdicts for the batch, by case id.</summary>
    public static Dictionary<string, bool> Pyca(string manifest, string workingDirectory)
    {
        var script = Path.Combine(VerifierFolder, "pyca_verify.py");
        var tried = new List<string>();
        foreach (var python in PythonCandidates())
        {
            var (exit, stdout, stderr) = Run(python, [script, manifest], workingDirectory, TimeSpan.FromSeconds(120));
            if (exit == 0)
            {
                return Results(stdout);
            }

            tried.Add($"{python}: exit {exit} {Short(stdout)} {Short(stderr)}");
        }

        throw new InvalidOperationException(
            "pyca/cryptography's X.509 verifier (cryptography 42 or later, with cryptography.x509.verification) is needed by this differential test and no Python here has it. "
            + "This machine's Python 3.11 (pyenv) has cryptography 48; PyPI is not reachable here, so it cannot be installed on demand. Tried: " + string.Join("; ", tried));
    }

    /// <summary>Go's verdicts for the batch, by case id; the verifier is built once per run into <paramref name="buildDirectory"/>.</summary>
    public static Dictionary<string, bool> Go(string manifest, string workingDirectory, string buildDirectory)
    {
        var binary = Path.Combine(buildDirectory, "goverify");
        if (!File.Exists(binary))
        {
            var source = Path.Combine(VerifierFolder, "goverify");
            var environment = new Dictionary<string, string> { ["GOFLAGS"] = "-mod=mod", ["GOPROXY"] = "off", ["GOTOOLCHAIN"] = "local", ["CGO_ENABLED"] = "0" };
            var (exit, stdout, stderr) = Run("go", ["build", "-o", binary, "."], source, TimeSpan.FromMinutes(5), environment);
            if (exit != 0)
            {
                throw new InvalidOperationException(
                    $"Go's crypto/x509 verifier could not be built (exit {exit}): {Short(stdout)} {Short(stderr)}. Install Debian's Go toolchain: 'apt-get install -y golang-go' (.ci/run does).");
            }
        }

        var (code, output, error) = Run(binary, [manifest], workingDirectory, TimeSpan.FromSeconds(120));
        return code == 0 ? Results(output) : throw new InvalidOperationException($"goverify failed (exit {code}): {Short(error)}");
    }

    public static string WriteManifest(IEnumerable<WrittenCase> cases, TempDirectory dir)
    {
        var array = new JsonArray();
        foreach (var test in cases)
        {
            array.Add(new JsonObject
            {
                ["id"] = test.Id,
                ["leaf"] = test.Leaf,
                ["intermediates"] = test.HasIntermediates ? new JsonArray(test.Intermediates) : new JsonArray(),
                ["roots"] = new JsonArray(test.Roots),
                ["host"] = test.Host,
                ["time"] = test.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            });
        }

        return dir.Write("manifest.json", new JsonObject { ["cases"] = array }.ToJsonString());
    }

    private static Dictionary<string, bool> Results(string json)
    {
        var results = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var result in JsonNode.Parse(json)!["results"]!.AsArray())
        {
            results[result!["id"]!.GetValue<string>()] = result["trusted"]!.GetValue<bool>();
        }

        return results;
    }

    /// <summary>The Python on PATH first; the pyenv one next (a child process may not see the pyenv shims first on PATH).</summary>
    private static IEnumerable<string> PythonCandidates()
    {
        yield return "python3";
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var shim = Path.Combine(home, ".pyenv", "shims", "python3");
        if (File.Exists(shim))
        {
            yield return shim;
        }

        var versions = Path.Combine(home, ".pyenv", "versions");
        if (Directory.Exists(versions))
        {
            foreach (var version in Directory.GetDirectories(versions).OrderDescending(StringComparer.Ordinal))
            {
                yield return Path.Combine(version, "bin", "python3");
            }
        }
    }

    private static string Short(string text) => text.Length <= 400 ? text.Trim() : text[..400].Trim() + "…";

    private static (int Exit, string Stdout, string Stderr) Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        // Go honours this to accept SHA-1 signatures; a judge must run with its defaults.
        start.Environment.Remove("GODEBUG");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, string.Empty, $"{file} cannot be run: {ex.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in {timeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
