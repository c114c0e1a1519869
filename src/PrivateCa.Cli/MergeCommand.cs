using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace PrivateCa.Cli;

/// <summary>
/// privateca merge [--system] --add PATH… --out FILE [--watch]: the system's roots plus private ones, de-duplicated,
/// written atomically with mode 0644 (see <see cref="AtomicFile"/>); with --watch it keeps the file current.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(Option<bool> json)
    {
        var system = new Option<bool>("--system") { Description = "Start from the system's trusted roots." };
        var add = new Option<string[]>("--add") { Description = "A bundle file or directory to add (repeatable)." }.Paths();
        var outPath = new Option<string>("--out") { Description = "The merged PEM bundle to write (replaced atomically, mode 0644).", Required = true }.Paths();
        var watch = new Option<bool>("--watch") { Description = "Keep running: rewrite --out when an input changes and the result loads (a sidecar); stops on SIGTERM." };
        var interval = new Option<double>("--interval") { Description = "With --watch: also re-read every input this often, in seconds (default 60).", DefaultValueFactory = _ => 60 }.Seconds(86400);
        var command = new Command("merge", "Merge system roots and private CA bundles into one PEM file, atomically.") { system, add, outPath, watch, interval };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var (useSystem, paths, target) = (result.GetValue(system), result.GetValue(add) ?? [], result.GetValue(outPath)!);
            if (!useSystem && paths.Length == 0)
            {
                return Output.Fail(error, ExitCodes.Usage, "merge: give --system, --add PATH, or both.");
            }

            if (InputHolding(target, paths) is { } input)
            {
                // The next merge (or --watch's next rewrite) would read the output back in, and a CA removed from the
                // inputs would never leave it.
                return Output.Fail(error, ExitCodes.BadInput,
                    $"--out '{target}' is {(input.Length == Path.GetFullPath(target).Length ? "an input" : $"inside the input folder '{input}'")}: certificates removed from the inputs would stay in the output. Write it elsewhere.");
            }

            if (useSystem && SystemStoreReading(target) is { } variable)
            {
                // .NET's system store on Linux is what SSL_CERT_FILE/SSL_CERT_DIR name: the output would be read back as "system roots".
                return Output.Fail(error, ExitCodes.BadInput,
                    $"--system reads {variable}, which names --out '{target}': certificates removed from the inputs would stay in the output. Unset {variable} for this command.");
            }

            BundleMerge merge;
            try
            {
                merge = BundleMerge.Read(useSystem, paths);
            }
            catch (Exception ex) when (ex is CertificateBundleException or CryptographicException)
            {
                return Output.Fail(error, ExitCodes.BadInput, ex.Message);
            }

            try
            {
                merge.WriteTo(target);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Output.Fail(error, ExitCodes.BadInput, $"cannot write '{target}': {ex.Message}");
            }

            Report(output, result.GetValue(json), Path.GetFullPath(target), merge);
            if (!result.GetValue(watch))
            {
                return ExitCodes.Ok;
            }

            await output.FlushAsync(cancellationToken);
            using var watcher = new MergeWatcher(useSystem, paths, Path.GetFullPath(target), TimeSpan.FromSeconds(result.GetValue(interval)), merge, output, error, TimeProvider.System);
            return await watcher.RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>The --add path that is the output or a folder holding it, if any.</summary>
    private static string? InputHolding(string target, IEnumerable<string> inputs)
    {
        var output = Path.GetFullPath(target);
        return inputs.Select(i => Path.TrimEndingDirectorySeparator(Path.GetFullPath(i)))
            .FirstOrDefault(i => output == i || output.StartsWith(i + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary>The variable (SSL_CERT_FILE or SSL_CERT_DIR) through which the system store would read the output, if any.</summary>
    private static string? SystemStoreReading(string target)
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS())
        {
            return null;
        }

        var output = Path.GetFullPath(target);
        if (Environment.GetEnvironmentVariable("SSL_CERT_FILE") is { Length: > 0 } file && Path.GetFullPath(file) == output)
        {
            return "SSL_CERT_FILE";
        }

        return Environment.GetEnvironmentVariable("SSL_CERT_DIR") is { Length: > 0 } dirs
            && dirs.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => InputHolding(target, [d]) is not null)
            ? "SSL_CERT_DIR"
            : null;
    }

    private static void Report(TextWriter output, bool json, string target, BundleMerge merge)
    {
        if (json)
        {
            Output.Json(output, new JsonObject { ["out"] = target, ["certificates"] = merge.Fingerprints.Count, ["duplicatesDropped"] = merge.DuplicatesDropped });
        }
        else
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {merge.Fingerprints.Count} certificate(s) to {Output.Escape(target)} ({merge.DuplicatesDropped} duplicate(s) dropped)."));
        }
    }
}
