using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// Shows the mTLS identity only to a server PrivateCa has judged trusted and in scope, as curl, Python and Go do. SslStream
/// asks for a client certificate before it calls the validation callback (and on Linux the certificate is sent before that
/// callback runs), so the server is judged here, when it asks: its chain is read from the handshake and judged by the same
/// engine, with every check. Nothing is offered up front; a server outside Hosts, untrusted, or not judgeable here gets no
/// certificate, and the validation callback that follows rejects it with the usual explanation.
/// </summary>
internal static class ClientIdentityGate
{
    public static LocalCertificateSelectionCallback Callback(ClientTrustSlot slot) =>
        (sender, targetHost, _, remote, _) => Select(slot.Current, sender as SslStream, targetHost, remote)!;

    private static X509Certificate2? Select(ClientTrust trust, SslStream? stream, string targetHost, X509Certificate? remote)
    {
        // The first call comes before the handshake, with no server certificate: nothing is offered then. The server's
        // certificate request brings the second call.
        if (remote is null || stream is null || trust.Identity?.Current is not { } identity)
        {
            return null;
        }

        var host = stream.TargetHostName is { Length: > 0 } named ? named : targetHost;
        if (!trust.Engine.Scope.Contains(host))
        {
            return null;
        }

        X509Certificate2? leaf = null;
        X509Certificate2Collection? presented = null;
        try
        {
            if (!HandshakeInternals.TryReadPeerChain(stream, out leaf, out presented))
            {
                // Without the chain the leaf is judged alone: the bundle must then hold its issuer, or nothing is offered.
                leaf = X509CertificateLoader.LoadCertificate(remote.GetRawCertData());
                presented = [];
            }

            if (!trust.Engine.Judges(host, leaf, presented))
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No bundle loaded yet, a chain the runtime cannot read: not judged, so not shown; the validation callback explains.
            return null;
        }
        finally
        {
            leaf?.Dispose();
            foreach (var certificate in presented ?? [])
            {
                certificate.Dispose();
            }
        }

        return HandshakeInternals.TryPresent(stream, identity.Context) ? identity.Context.TargetCertificate : identity.Certificate;
    }
}
