using System.Diagnostics;

namespace PrivateCa.Tests.Infrastructure;

/// <summary>Runs the openssl command line, so tests read input that nobody on the team wrote.</summary>
internal static class OpenSsl
{
    public static string Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
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

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openssl {string.Join(' ', arguments)} did not finish in 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }

    /// <summary>A self-signed CA with a key of the given type ('openssl req -newkey KEY', for example "ed25519").</summary>
    public static (string Certificate, string Key) CreateRootWithKey(TempDirectory dir, string name, string key, params string[] extraArguments)
    {
        var certificate = dir.File($"{name}.pem");
        var keyPath = dir.File($"{name}.key");
        Run(dir.Path, ["req", "-x509", "-newkey", key, "-nodes", "-keyout", keyPath, "-out", certificate, "-days", "365", "-subj", $"/CN={name}", .. extraArguments]);
        return (certificate, keyPath);
    }

    /// <summary>A self-signed CA made by 'openssl req -x509' with the given extensions; returns (certificate path, key path).</summary>
    public static (string Certificate, string Key) CreateRoot(TempDirectory dir, string name, params string[] extraArguments)
    {
        var certificate = dir.File($"{name}.pem");
        var key = dir.File($"{name}.key");
        string[] arguments =
        [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "365", "-subj", $"/CN={name}",
            .. extraArguments,
        ];
        Run(dir.Path, arguments);
        return (certificate, key);
    }
}
