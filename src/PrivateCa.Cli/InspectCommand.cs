using System.CommandLine;
using System.Text.Json.Nodes;

namespace PrivateCa.Cli;

/// <summary>privateca inspect PATH… | --env: every certificate, the loader's diagnostics, and which variable supplied which file.</summary>
internal static class InspectCommand
{
    public static Command Create(Option<bool> json)
    {
        var paths = new Argument<string[]>("path") { Description = "Bundle files or directories.", Arity = ArgumentArity.ZeroOrMore };
        var env = new Option<bool>("--env") { Description = "Read SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_DIR and NODE_EXTRA_CA_CERTS instead." };
        var command = new Command("inspect", "List every certificate of a CA bundle with the loader's diagnostics.") { paths, env, json };
        command.SetAction(result => Run(result.GetValue(paths) ?? [], result.GetValue(env), result.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    internal static int Run(string[] paths, bool fromEnvironment, bool json, TextWriter output, TextWriter error)
    {
        if (fromEnvironment == (paths.Length > 0))
        {
            return Output.Fail(error, ExitCodes.Usage, "give bundle paths or --env, not both and not neither.");
        }

        CertificateBundle bundle;
        try
        {
            bundle = fromEnvironment
                ? CertificateBundleLoader.LoadFromEnvironment() ?? throw new CertificateBundleException(
                    "none of SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_DIR, NODE_EXTRA_CA_CERTS is set.")
                : CertificateBundleLoader.Load(paths);
        }
        catch (CertificateBundleException ex)
        {
            return Output.Fail(error, ExitCodes.BadInput, ex.Message);
        }

        if (json)
        {
            Output.Json(output, new JsonObject
            {
                ["sources"] = new JsonArray([.. bundle.SourceDetails.Select(s => (JsonNode)new JsonObject { ["path"] = s.Path, ["variable"] = s.Variable, ["certificates"] = s.CertificateCount })]),
                ["certificates"] = new JsonArray([.. bundle.Entries.Select(e =>
                {
                    var node = Output.Certificate(e.Certificate, e.Source);
                    node["strict"] = new JsonArray([.. StrictFindings(e).Select(f => (JsonNode)new JsonObject { ["rule"] = f.Rule, ["finding"] = f.Finding })]);
                    return (JsonNode)node;
                })]),
                ["diagnostics"] = new JsonArray([.. bundle.Diagnostics.Select(d => (JsonNode)new JsonObject
                {
                    ["code"] = d.Code.ToString(), ["severity"] = d.Severity.ToString(), ["source"] = d.Source, ["line"] = d.Line, ["sha256"] = d.CertificateSha256, ["message"] = d.Message,
                })]),
            });
            return ExitCodes.Ok;
        }

        output.WriteLine($"{bundle.Count} certificate(s) from {bundle.SourceDetails.Count} file(s):");
        foreach (var source in bundle.SourceDetails.Where(s => s.CertificateCount > 0 || bundle.SourceDetails.Count <= 10))
        {
            output.WriteLine($"  {source}");
        }

        output.WriteLine();
        foreach (var entry in bundle.Entries)
        {
            output.WriteLine(Output.Describe(entry.Certificate));
            output.WriteLine($"    source    {entry.Source}{(entry.Line is int line ? $" line {line}" : string.Empty)}");
            foreach (var (rule, finding) in StrictFindings(entry))
            {
                output.WriteLine($"    strict    would be rejected by strict validators (Python 3.13 strict mode, rustls, ValidationProfile.Strict): {rule}: {finding}");
            }
        }

        if (bundle.Diagnostics.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Diagnostics:");
            foreach (var diagnostic in bundle.Diagnostics)
            {
                output.WriteLine($"  {diagnostic.Severity,-11} {diagnostic.Code}: {diagnostic.Message}");
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>The Strict rules a CA of the bundle breaks as an anchor (self-signed) or an intermediate.</summary>
    private static IEnumerable<(string Rule, string Finding)> StrictFindings(PrivateCa.Bundle.Internal.CertificateEntry entry) =>
        entry.Facts.IsCertificateAuthority || entry.Facts.IsSelfIssued
            ? PrivateCa.Trust.Internal.StrictRules.Findings(entry.Facts, entry.Facts.IsSelfIssued ? PrivateCa.Trust.Internal.StrictRules.Role.Anchor : PrivateCa.Trust.Internal.StrictRules.Role.Intermediate)
            : [];
}
