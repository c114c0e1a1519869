using System.Diagnostics;

namespace PrivateCa.Tests.Cli;

/// <summary>The built privateca tool, run as a process as an operator runs it, with the environment the test gives.</summary>
internal static class Tool
{
    private static readonly string[] TrustVariables = ["SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS",
        "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];

    public static string Path()
    {
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, $"../../../../../src/PrivateCa.Cli/bin/{configuration}/net10.0/PrivateCa.Cli.dll"));
    }

    public static Task<(int ExitCode, string Output, string Error)> Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments);

    /// <summary>Runs the tool to completion; the trust and proxy variables of the test host are cleared unless given.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(WithEnvironment(start, environment))!;
    }

    /// <summary>
    /// Runs <paramref name="script"/> under bash, where <c>privateca</c> is the built tool and "$1", "$2"… are
    /// <paramref name="arguments"/>: for what only a shell hands the tool (process substitution, inherited descriptors).
    /// Killed with everything it started after 60 s, so a tool that blocks fails the test instead of hanging it.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunShell(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"privateca() {{ dotnet \"$PRIVATECA_TOOL\" \"$@\"; }}\n{script}");
        start.ArgumentList.Add("bash");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(WithEnvironment(start, new Dictionary<string, string> { ["PRIVATECA_TOOL"] = Path() }))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bash -c '{script}' did not finish in 60 s");
        }

        return (process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo WithEnvironment(ProcessStartInfo start, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var variable in TrustVariables)
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
