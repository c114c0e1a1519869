using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace PrivateCa.Cli;

/// <summary>
/// privateca merge [--system] --add PATH… --out FILE: the system's roots plus private ones, de-duplicated, in a
/// deterministic order with a comment naming each certificate, written atomically (temporary file, then rename).
/// </summary>
internal static class MergeCommand
{
    public static Command Create(Option<bool> json)
    {
        var system = new Option<bool>("--system") { Description = "Start from the system's trusted roots." };
        var add = new Option<string[]>("--add") { Description = "Bundle files or directories to add.", AllowMultipleArgumentsPerToken = true };
        var outPath = new Option<string>("--out") { Description = "The merged PEM bundle to write.", Required = true };
        var command = new Command("merge", "Merge system roots and private CA bundles into one PEM file, atomically.") { system, add, outPath, json };
        command.SetAction(result => Run(result.GetValue(system), result.GetValue(add) ?? [], result.GetValue(outPath)!, result.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    internal static int Run(bool system, string[] add, string outPath, bool json, TextWriter output, TextWriter error)
    {
        if (!system && add.Length == 0)
        {
            return Output.Fail(error, ExitCodes.Usage, "give --system, --add PATH, or both.");
        }

        var entries = new List<(byte[] Der, string Subject, string Sha256, string Source)>();
        if (system)
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            foreach (var certificate in store.Certificates)
            {
                entries.Add((certificate.RawData, certificate.Subject, certificate.GetCertHashString(HashAlgorithmName.SHA256), "system"));
                certificate.Dispose();
            }
        }

        if (add.Length > 0)
        {
            try
            {
                foreach (var entry in CertificateBundleLoader.Load(add).Entries)
                {
                    entries.Add((entry.Der, entry.SubjectName, entry.Sha256Hex, entry.Source));
                }
            }
            catch (CertificateBundleException ex)
            {
                return Output.Fail(error, ExitCodes.BadInput, ex.Message);
            }
        }

        // Deterministic: one copy per SHA-256, ordered by subject then fingerprint.
        var merged = entries.GroupBy(e => e.Sha256).Select(g => g.First())
            .OrderBy(e => e.Subject, StringComparer.Ordinal).ThenBy(e => e.Sha256, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        foreach (var (der, subject, sha256, _) in merged)
        {
            text.Append("# ").Append(subject).Append('\n')
                .Append("# SHA-256: ").Append(sha256).Append('\n')
                .Append(PemEncoding.WriteString("CERTIFICATE", der)).Append('\n');
        }

        try
        {
            var target = Path.GetFullPath(outPath);
            var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.tmp");
            File.WriteAllText(temporary, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Output.Fail(error, ExitCodes.BadInput, $"cannot write '{outPath}': {ex.Message}");
        }

        if (json)
        {
            Output.Json(output, new JsonObject { ["out"] = Path.GetFullPath(outPath), ["certificates"] = merged.Count, ["duplicatesDropped"] = entries.Count - merged.Count });
        }
        else
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {merged.Count} certificate(s) to {Path.GetFullPath(outPath)} ({entries.Count - merged.Count} duplicate(s) dropped)."));
        }

        return ExitCodes.Ok;
    }
}
