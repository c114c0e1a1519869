using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace PrivateCa.Cli;

/// <summary>privateca verify --bundle B --chain server.pem --host NAME: the offline verdict of the trust engine.</summary>
internal static class VerifyCommand
{
    public static Command Create(Option<bool> json)
    {
        var bundle = new Option<string[]>("--bundle") { Description = "CA bundle files or directories to trust.", Required = true, AllowMultipleArgumentsPerToken = true };
        var chain = new Option<string>("--chain") { Description = "PEM file: the server certificate first, then what the server sends with it.", Required = true };
        var host = new Option<string>("--host") { Description = "The DNS name or IP address the client asks for.", Required = true };
        var allowIntermediate = new Option<bool>("--allow-intermediate-anchors") { Description = "Let a CA from the bundle that is not self-signed end the chain." };
        var profile = new Option<ValidationProfile>("--profile") { Description = "Platform (default) or Strict.", DefaultValueFactory = _ => ValidationProfile.Platform };
        var command = new Command("verify", "Judge a chain offline, exactly as a PrivateCa handler would.") { bundle, chain, host, allowIntermediate, profile, json };
        command.SetAction(result => Run(
            result.GetValue(bundle) ?? [], result.GetValue(chain)!, result.GetValue(host)!, result.GetValue(allowIntermediate), result.GetValue(json), Console.Out, Console.Error,
            result.GetValue(profile)));
        return command;
    }

    internal static int Run(string[] bundle, string chainPath, string host, bool allowIntermediateAnchors, bool json, TextWriter output, TextWriter error,
        ValidationProfile profile = ValidationProfile.Platform)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false, AllowIntermediateAnchors = allowIntermediateAnchors, Profile = profile };
        foreach (var path in bundle)
        {
            options.BundlePaths.Add(path);
        }

        X509Certificate2Collection chain;
        CustomRootTrustValidator validator;
        try
        {
            validator = new CustomRootTrustValidator(options);
            chain = LoadChain(chainPath);
        }
        catch (CertificateBundleException ex)
        {
            return Output.Fail(error, ExitCodes.BadInput, ex.Message);
        }
        catch (ArgumentException ex)
        {
            return Output.Fail(error, ExitCodes.BadInput, ex.Message);
        }

        var leaf = chain[0];
        chain.RemoveAt(0);
        var verdict = validator.Validate(leaf, chain, host);
        Report(output, json, host, verdict, [leaf, .. chain]);
        return verdict.IsTrusted ? ExitCodes.Ok : ExitCodes.Untrusted;
    }

    internal static void Report(TextWriter output, bool json, string host, TrustVerdict verdict, IReadOnlyList<X509Certificate2> presented)
    {
        if (json)
        {
            Output.Json(output, new JsonObject
            {
                ["host"] = host,
                ["trusted"] = verdict.IsTrusted,
                ["failure"] = verdict.Failure.ToString(),
                ["reason"] = verdict.Summary,
                ["fix"] = verdict.Fix,
                ["explanation"] = verdict.Reason,
                ["presented"] = new JsonArray([.. presented.Select(c => (JsonNode)Output.Certificate(c))]),
                ["chain"] = new JsonArray([.. verdict.Chain.Select(c => (JsonNode)Output.Certificate(c))]),
            });
            return;
        }

        output.WriteLine($"{(verdict.IsTrusted ? "TRUSTED" : "NOT TRUSTED")}: {host}");
        output.WriteLine(verdict.Reason);
    }

    private static X509Certificate2Collection LoadChain(string path)
    {
        // The loader reads PEM, DER and PKCS#7 with line-numbered errors; a chain file keeps its order.
        var bundle = CertificateBundleLoader.Load(path);
        var chain = new X509Certificate2Collection();
        foreach (var entry in bundle.Entries)
        {
            chain.Add(entry.CreateCertificate());
        }

        return chain.Count > 0 ? chain : throw new CertificateBundleException($"'{path}' holds no certificate.");
    }
}
