using System.CommandLine;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Cli;

/// <summary>
/// privateca probe https://host:port: connect, show what the server presents and the engine's verdict. The
/// handshake is allowed to complete only when the engine trusts the server; a rejected server is still shown.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create(Option<bool> json)
    {
        var url = new Argument<string>("url") { Description = "https://host[:port]" };
        var bundle = new Option<string[]>("--bundle") { Description = "CA bundle files or directories; default: the environment variables.", AllowMultipleArgumentsPerToken = true };
        var mode = new Option<TrustMode>("--mode") { Description = "CustomRootTrust (default) or SystemAndCustomRoots.", DefaultValueFactory = _ => TrustMode.CustomRootTrust };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the connection and handshake (default 10).", DefaultValueFactory = _ => 10 };
        var command = new Command("probe", "Connect to an HTTPS server and judge its certificate with PrivateCa's engine.") { url, bundle, mode, timeout, json };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(url)!, result.GetValue(bundle) ?? [], result.GetValue(mode), TimeSpan.FromSeconds(result.GetValue(timeout)), result.GetValue(json),
            Console.Out, Console.Error, cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(string url, string[] bundle, TrustMode mode, TimeSpan timeout, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return Output.Fail(error, ExitCodes.Usage, $"'{url}' is not an https:// URL.");
        }

        var options = new PrivateCaTrustOptions { Mode = mode, UseEnvironment = bundle.Length == 0 };
        foreach (var path in bundle)
        {
            options.BundlePaths.Add(path);
        }

        CustomRootTrustValidator validator;
        try
        {
            validator = new CustomRootTrustValidator(options);
        }
        catch (CertificateBundleException ex)
        {
            return Output.Fail(error, ExitCodes.BadInput, ex.Message);
        }

        var host = uri.IdnHost;
        TrustVerdict? verdict = null;
        var presented = new List<X509Certificate2>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, uri.Port, deadline.Token);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    if (certificate is not X509Certificate2 leaf)
                    {
                        return false;
                    }

                    var sent = chain?.ChainPolicy.ExtraStore ?? [];
                    presented.Add(new X509Certificate2(leaf));
                    presented.AddRange(sent.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)).Select(c => new X509Certificate2(c)));
                    verdict = validator.Validate(leaf, sent, host);
                    return verdict.IsTrusted;
                },
            }, deadline.Token);
        }
        catch (AuthenticationException) when (verdict is not null)
        {
            // Rejected by the engine: the verdict says why.
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or AuthenticationException)
        {
            var reason = ex is OperationCanceledException ? $"no TLS handshake within {timeout.TotalSeconds:0.#} s" : ex.Message;
            return Output.Fail(error, ExitCodes.NetworkFailure, $"cannot reach {host}:{uri.Port}: {reason}.");
        }

        VerifyCommand.Report(output, json, $"{host}:{uri.Port}", verdict!, presented);
        return verdict!.IsTrusted ? ExitCodes.Ok : ExitCodes.Untrusted;
    }
}
