using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PrivateCa.Cli;

/// <summary>
/// privateca probe https://host:port [trust options]: connect as the app's <see cref="HttpClient"/> does (the same
/// handler from <see cref="TrustedHandlerFactory"/>, HTTPS_PROXY/NO_PROXY or --proxy, client certificate), show what
/// the server presents and the engine's verdict. The handshake completes only when the engine trusts the server.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create(Option<bool> json)
    {
        var trust = new TrustOptionSet(clientCertificate: true);
        var url = new Argument<string>("url") { Description = "https://host[:port][/path]" }.Url("https");
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the connection and handshake (default 10).", DefaultValueFactory = _ => 10 }.Seconds(3600);
        var proxy = new Option<string>("--proxy") { Description = "An http:// proxy to CONNECT through, instead of HTTPS_PROXY/NO_PROXY." }.Url("http");
        var saveChain = new Option<string>("--save-chain") { Description = "Write the certificates the server presented to this PEM file (for verify --chain)." }.Paths();
        var command = new Command("probe", "Connect to an HTTPS server the way the app does and judge its certificate with PrivateCa's engine.") { url, timeout, proxy, saveChain };
        trust.AddTo(command);
        command.SetAction((result, cancellationToken) => RunAsync(
            trust.Bind(result), new Uri(result.GetValue(url)!), TimeSpan.FromSeconds(result.GetValue(timeout)), result.GetValue(proxy) is { } p ? new Uri(p) : null,
            result.GetValue(saveChain), result.GetValue(json), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(PrivateCaTrustOptions options, Uri uri, TimeSpan timeout, Uri? explicitProxy, string? saveChain, bool json,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!VerifyCommand.TryCreateValidator(options, error, out var validator, out var failure))
        {
            return failure;
        }

        TrustedHandlerFactory factory;
        try
        {
            factory = new TrustedHandlerFactory(options);
        }
        catch (Exception ex) when (ex is CertificateBundleException or ArgumentException)
        {
            return Output.Fail(error, ExitCodes.BadInput, ex.Message);
        }

        // The proxy the app's HttpClient would use: --proxy, else HttpClient.DefaultProxy (HTTPS_PROXY, NO_PROXY).
        var proxy = explicitProxy is null ? HttpClient.DefaultProxy : new WebProxy(explicitProxy);
        var proxyUsed = proxy.IsBypassed(uri) ? null : proxy.GetProxy(uri);
        if (proxyUsed == uri)
        {
            proxyUsed = null;
        }

        var host = uri.IdnHost;
        TrustVerdict? verdict = null;
        var presented = new List<X509Certificate2>();
        using var handler = factory.CreateSocketsHttpHandler();
        handler.Proxy = proxy;
        handler.UseProxy = true;

        // Only the probed host is judged: a redirect elsewhere would hand the verdict (and --save-chain) to another server.
        handler.AllowAutoRedirect = false;

        // Which client certificate PrivateCa offered: a failure right after such a handshake is, in all likelihood, the server
        // refusing it (TLS 1.3 servers often just close the connection). On Linux the callback is given neither the server's
        // certificate nor its acceptable issuers, so whether the server asked cannot be told apart here.
        string? clientSent = null;
        if (handler.SslOptions.LocalCertificateSelectionCallback is { } select)
        {
            handler.SslOptions.LocalCertificateSelectionCallback = (sender, target, local, remote, issuers) =>
            {
                var chosen = select(sender, target, local, remote, issuers);
                if (chosen is not null)
                {
                    clientSent = chosen.Subject;
                }

                return chosen;
            };
        }
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            if (certificate is not X509Certificate2 leaf)
            {
                return false;
            }

            // A retried connection calls this again: keep what the last handshake presented.
            presented.ForEach(c => c.Dispose());
            presented.Clear();
            var sent = chain?.ChainPolicy.ExtraStore ?? [];
            presented.Add(new X509Certificate2(leaf));
            presented.AddRange(sent.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)).Select(c => new X509Certificate2(c)));
            verdict = validator.Validate(leaf, sent, host);
            return verdict.IsTrusted;
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string? afterHandshake = null;
        var timedOut = false;
        string? redirect = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var location = response.Headers.Location?.ToString();
                var target = location is null ? "no Location" : location.Length <= 200 ? location : location[..200] + "…";
                redirect = $"{host}:{uri.Port} answered {(int)response.StatusCode} with a redirect to {target}; it was not followed, and only {host}:{uri.Port} was judged (probe the target itself to judge its certificate)";
            }
        }
        catch (Exception ex) when (verdict is not null && ex is HttpRequestException or OperationCanceledException or IOException)
        {
            // The handshake got as far as a verdict: a rejection is the answer; a later failure does not change it.
            afterHandshake = verdict.IsTrusted ? Innermost(ex) : null;
            timedOut = ex is OperationCanceledException;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or SocketException or AuthenticationException)
        {
            var reason = ex is OperationCanceledException
                ? $"no response within {timeout.TotalSeconds:0.#} s"
                : Innermost(ex);
            return Output.Fail(error, ExitCodes.NetworkFailure,
                $"cannot reach {host}:{uri.Port}{(proxyUsed is null ? string.Empty : $" through proxy {Output.Proxy(proxyUsed)}")}: {reason}");
        }

        try
        {
            if (saveChain is not null)
            {
                var pem = new StringBuilder();
                foreach (var certificate in presented)
                {
                    pem.Append(certificate.ExportCertificatePem()).Append('\n');
                }

                try
                {
                    AtomicFile.Write(saveChain, Encoding.ASCII.GetBytes(pem.ToString()));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return Output.Fail(error, ExitCodes.BadInput, $"cannot write '{saveChain}': {ex.Message}");
                }
            }

            VerifyCommand.Report(output, json, $"{host}:{uri.Port}", verdict!, presented, proxyUsed);
            // A timeout or Ctrl-C is not a refusal; a connection ended right after the handshake is what a refusing server does.
            if (afterHandshake is not null && clientSent is not null && !timedOut)
            {
                return Output.Fail(error, ExitCodes.ClientCertificateRefused,
                    $"{host}:{uri.Port} is trusted, but the request failed right after a handshake in which the client certificate '{clientSent}' was offered, so the server most likely refused the client certificate ({afterHandshake}). Check that the server trusts the CA that issued it, and that --client-cert holds its intermediates.");
            }

            if (afterHandshake is not null)
            {
                Output.Fail(error, ExitCodes.Ok, $"the handshake succeeded but the request then failed: {afterHandshake}");
            }

            if (redirect is not null)
            {
                Output.Fail(error, ExitCodes.Ok, redirect);
            }

            return verdict!.IsTrusted ? ExitCodes.Ok : ExitCodes.Untrusted;
        }
        finally
        {
            foreach (var certificate in presented)
            {
                certificate.Dispose();
            }
        }
    }

    private static string Innermost(Exception ex)
    {
        var messages = new List<string>();
        for (var current = ex; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message.TrimEnd('.'));
        }

        return string.Join(": ", messages.Distinct()) + ".";
    }
}
