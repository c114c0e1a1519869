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
    /// <summary>
    /// The cipher suites of a handshake that may carry an identity: TLS 1.3, and TLS 1.2 with (EC)DHE, where the server
    /// signs the handshake before it asks for a certificate. With static RSA key exchange a server proves nothing until
    /// after the client's certificate is sent, so a server replaying another's public chain would pass the gate.
    /// </summary>
    public static readonly TlsCipherSuite[] ForwardSecret =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
    ];

    /// <summary>Restricts a handler that presents an identity to <see cref="ForwardSecret"/> suites where the platform lets
    /// a client choose (Linux, macOS); a policy of the caller's that allows static RSA is refused.</summary>
    /// <exception cref="InvalidOperationException">The handler's own cipher suite policy allows a suite without a server signature.</exception>
    public static void RequireServerSignature(SslClientAuthenticationOptions ssl, string client)
    {
        // Windows chooses suites system-wide (Schannel): there a client cannot narrow them (not tested here).
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            return;
        }

        if (ssl.CipherSuitesPolicy is not { } own)
        {
            ssl.CipherSuitesPolicy = new CipherSuitesPolicy(ForwardSecret);
            return;
        }

        if (own.AllowedCipherSuites.Any(suite => suite.ToString().StartsWith("TLS_RSA_", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException(
                $"PrivateCa cannot present a client certificate through {client}: its CipherSuitesPolicy allows static RSA key exchange (TLS_RSA_*), in which a server that only copied a trusted server's certificate would receive the identity. Remove those suites, or the policy.");
        }
    }

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

        if (!HandshakeInternals.JudgePeer(stream, remote, (leaf, presented) => trust.Engine.Judges(host, leaf, presented)))
        {
            return null;
        }

        return HandshakeInternals.TryPresent(stream, identity.Context) ? identity.Context.TargetCertificate : identity.Certificate;
    }
}
