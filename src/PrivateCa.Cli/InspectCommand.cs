using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace PrivateCa.Cli;

/// <summary>privateca inspect PATH… | --env: every certificate, the loader's diagnostics, and which variable supplied which file.</summary>
internal static class InspectCommand
{
    public static Command Create(Option<bool> json)
    {
        var paths = new Argument<string[]>("path") { Description = "Bundle files or directories.", Arity = ArgumentArity.ZeroOrMore }.Paths();
        var env = new Option<bool>("--env") { Description = "Read SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_DIR and NODE_EXTRA_CA_CERTS instead." };
        var summary = new Option<bool>("--summary") { Description = "One screen: counts by source, expired, not-CA and duplicate findings, the earliest expiry." };
        var command = new Command("inspect", "List every certificate of a CA bundle with the loader's diagnostics.") { paths, env, summary };
        command.SetAction(result => Run(result.GetValue(paths) ?? [], result.GetValue(env), result.GetValue(summary), result.GetValue(json),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string[] paths, bool fromEnvironment, bool summary, bool json, TextWriter output, TextWriter error)
    {
        if (fromEnvironment == (paths.Length > 0))
        {
            return Output.Fail(error, ExitCodes.Usage, "inspect: give bundle paths or --env, not both and not neither.");
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

        var certificates = bundle.Certificates;
        try
        {
            if (summary)
            {
                Summarise(output, json, bundle, certificates);
            }
            else if (json)
            {
                Output.Json(output, new JsonObject
                {
                    ["sources"] = Sources(bundle),
                    ["certificates"] = new JsonArray([.. certificates.Zip(bundle.Origins).Select(pair =>
                    {
                        var node = Output.Certificate(pair.First, pair.Second.Source);
                        node["line"] = pair.Second.Line;
                        node["strict"] = new JsonArray([.. StrictFindings(bundle, pair.Second).Select(d => (JsonNode)new JsonObject { ["rule"] = d.Rule, ["message"] = d.Message })]);
                        return (JsonNode)node;
                    })]),
                    ["diagnostics"] = new JsonArray([.. bundle.Diagnostics.Select(d => (JsonNode)new JsonObject
                    {
                        ["code"] = d.Code.ToString(), ["severity"] = d.Severity.ToString(), ["source"] = d.Source, ["line"] = d.Line, ["sha256"] = d.CertificateSha256,
                        ["rule"] = d.Rule, ["message"] = d.Message,
                    })]),
                });
            }
            else
            {
                List(output, bundle, certificates);
            }
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }

        return ExitCodes.Ok;
    }

    private static void List(TextWriter output, CertificateBundle bundle, System.Security.Cryptography.X509Certificates.X509Certificate2Collection certificates)
    {
        output.WriteLine($"{bundle.Count} certificate(s) from {bundle.SourceDetails.Count} file(s):");
        foreach (var source in bundle.SourceDetails.Where(s => s.CertificateCount > 0 || bundle.SourceDetails.Count <= 10))
        {
            output.WriteLine($"  {Output.Escape(source.ToString())}");
        }

        output.WriteLine();
        foreach (var (certificate, origin) in certificates.Zip(bundle.Origins))
        {
            output.WriteLine(Output.Describe(certificate));
            output.WriteLine($"    source    {Output.Escape(origin.ToString())}");
            foreach (var finding in StrictFindings(bundle, origin))
            {
                output.WriteLine($"    strict    {Output.Escape(finding.Message)}");
            }
        }

        var others = bundle.Diagnostics.Where(d => d.Code != BundleDiagnosticCode.StrictProfileRule).ToList();
        if (others.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Diagnostics:");
            foreach (var diagnostic in others)
            {
                output.WriteLine($"  {diagnostic.Severity,-11} {diagnostic.Code}: {Output.Escape(diagnostic.Message)}");
            }
        }
    }

    private static void Summarise(TextWriter output, bool json, CertificateBundle bundle, System.Security.Cryptography.X509Certificates.X509Certificate2Collection certificates)
    {
        int Count(BundleDiagnosticCode code) => bundle.Diagnostics.Count(d => d.Code == code);
        var earliest = certificates.Zip(bundle.Origins).Where(p => p.First.NotAfter.ToUniversalTime() >= TimeProvider.System.GetUtcNow().UtcDateTime)
            .OrderBy(p => p.First.NotAfter).Select(p => (p.First, p.Second)).FirstOrDefault();
        var (expired, notCa, duplicates, strict) = (Count(BundleDiagnosticCode.Expired), Count(BundleDiagnosticCode.NotCertificateAuthority),
            Count(BundleDiagnosticCode.DuplicateCertificate) + Count(BundleDiagnosticCode.DuplicateSubject), bundle.Diagnostics.Where(d => d.Code == BundleDiagnosticCode.StrictProfileRule).Select(d => d.CertificateSha256).Distinct().Count());
        if (json)
        {
            Output.Json(output, new JsonObject
            {
                ["certificates"] = bundle.Count,
                ["sources"] = Sources(bundle),
                ["expired"] = expired,
                ["notCertificateAuthority"] = notCa,
                ["duplicates"] = duplicates,
                ["brokeStrictRules"] = strict,
                ["earliestExpiry"] = earliest.First is null ? null : new JsonObject
                {
                    ["notAfter"] = earliest.First.NotAfter.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), ["subject"] = earliest.First.Subject, ["source"] = earliest.Second.ToString(),
                },
            });
            return;
        }

        output.WriteLine($"{bundle.Count} certificate(s) from {bundle.SourceDetails.Count} file(s):");
        foreach (var source in bundle.SourceDetails)
        {
            output.WriteLine($"  {Output.Escape(source.ToString())}");
        }

        output.WriteLine($"expired               {expired}");
        output.WriteLine($"not a CA              {notCa}");
        output.WriteLine($"duplicates            {duplicates}");
        output.WriteLine($"break Strict rules    {strict}");
        output.WriteLine(earliest.First is null
            ? "earliest expiry       none (every certificate has expired)"
            : string.Create(CultureInfo.InvariantCulture, $"earliest expiry       {earliest.First.NotAfter.ToUniversalTime():yyyy-MM-dd}Z {Output.Escape(earliest.First.Subject)} ({Output.Escape(earliest.Second.ToString())})"));
    }

    private static JsonArray Sources(CertificateBundle bundle) =>
        new([.. bundle.SourceDetails.Select(s => (JsonNode)new JsonObject { ["path"] = s.Path, ["variable"] = s.Variable, ["certificates"] = s.CertificateCount })]);

    private static IEnumerable<BundleDiagnostic> StrictFindings(CertificateBundle bundle, CertificateOrigin origin) =>
        bundle.Diagnostics.Where(d => d.Code == BundleDiagnosticCode.StrictProfileRule && d.CertificateSha256 == origin.Sha256);
}
