using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace PrivateCa.Cli;

/// <summary>privateca verify --chain server.pem --host NAME [trust options]: the offline verdict of the trust engine.</summary>
internal static class VerifyCommand
{
    public static Command Create(Option<bool> json)
    {
        var trust = new TrustOptionSet(clientCertificate: false);
        var chain = new Option<string>("--chain") { Description = "PEM file: the server certificate first, then what the server sends with it (probe --save-chain writes one).", Required = true }.Paths();
        var host = new Option<string>("--host") { Description = "The DNS name or IP address the client asks for.", Required = true }.HostNames();
        var command = new Command("verify", "Judge a chain offline, exactly as a PrivateCa handler would.") { chain, host };
        trust.AddTo(command);
        command.SetAction(result => Run(trust.Bind(result), result.GetValue(chain)!, result.GetValue(host)!, result.GetValue(json),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(PrivateCaTrustOptions options, string chainPath, string host, bool json, TextWriter output, TextWriter error)
    {
        if (!TryCreateValidator(options, error, out var validator, out var failure))
        {
            return failure;
        }

        X509Certificate2Collection chain;
        try
        {
            chain = LoadChain(chainPath);
        }
        catch (CertificateBundleException ex)
        {
            return Output.Fail(error, ExitCodes.BadInput, ex.Message);
        }

        var leaf = chain[0];
        var sent = new X509Certificate2Collection();
        sent.AddRange(chain.Skip(1).ToArray());
        var verdict = validator.Validate(leaf, sent, host);
        Report(output, json, host, verdict, [.. chain], proxy: null);
        return verdict.IsTrusted ? ExitCodes.Ok : ExitCodes.Untrusted;
    }

    /// <summary>Builds the engine from the bound options; a bundle, pin, host pattern or client certificate that cannot be used is bad input.</summary>
    public static bool TryCreateValidator(PrivateCaTrustOptions options, TextWriter error, out CustomRootTrustValidator validator, out int failure)
    {
        try
        {
            validator = new CustomRootTrustValidator(options);
            failure = ExitCodes.Ok;
            return true;
        }
        catch (Exception ex) when (ex is CertificateBundleException or ArgumentException)
        {
            validator = null!;
            failure = Output.Fail(error, ExitCodes.BadInput, options.UseEnvironment && ex is CertificateBundleException
                ? $"{ex.Message} (no --bundle was given, so the environment variables were read)"
                : ex.Message);
            return false;
        }
    }

    /// <summary>The verdict, then every certificate presented (subject, issuer, SHA-256, validity) whether trusted or not.</summary>
    public static void Report(TextWriter output, bool json, string host, TrustVerdict verdict, IReadOnlyList<X509Certificate2> presented, Uri? proxy)
    {
        var proxyNote = proxy is not null && !verdict.IsTrusted
            ? $"The connection went through the proxy {Output.Proxy(proxy)}: the certificate may be the proxy's. If the proxy inspects TLS, add the proxy's CA to the bundle."
            : null;
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
                ["proxy"] = proxy is null ? null : Output.Proxy(proxy),
                ["proxyNote"] = proxyNote,
                ["presented"] = new JsonArray([.. presented.Select(c => (JsonNode)Output.Certificate(c))]),
                ["chain"] = new JsonArray([.. verdict.Chain.Select(c => (JsonNode)Output.Certificate(c))]),
            });
            return;
        }

        output.WriteLine($"{(verdict.IsTrusted ? "TRUSTED" : "NOT TRUSTED")}: {Output.Escape(host)}{(proxy is null ? string.Empty : $" (through proxy {Output.Proxy(proxy)})")}");
        output.WriteLine(verdict.Reason);
        if (proxyNote is not null)
        {
            output.WriteLine(proxyNote);
        }

        output.WriteLine();
        output.WriteLine($"Certificates presented ({presented.Count}):");
        foreach (var certificate in presented)
        {
            output.WriteLine(Output.Describe(certificate));
        }
    }

    private static X509Certificate2Collection LoadChain(string path)
    {
        // The loader reads PEM, DER and PKCS#7 with line-numbered errors; a chain file keeps its order.
        var chain = CertificateBundleLoader.Load(path).Certificates;
        return chain.Count > 0 ? chain : throw new CertificateBundleException($"'{path}' holds no certificate.");
    }
}
