using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The two things SslStream knows in the middle of a handshake but does not expose while its client-certificate callback
/// runs: the chain the server sent (the callback is given only the leaf) and the certificate context to present (a
/// certificate returned by the callback is sent without its intermediates). Read through the runtime's own internals;
/// where a runtime lacks them every member here says so (false), and the caller falls back to what it can do without.
/// Pinned by tests on this runtime (mTLS tests against a root-only server, and a server judged before identity is shown).
/// </summary>
internal static class HandshakeInternals
{
    private const string Assembly = "System.Net.Security";

    private static readonly FieldInfo? SecurityContext = typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly FieldInfo? AuthenticationOptions = typeof(SslStream).GetField("_sslAuthenticationOptions", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The server's leaf and the certificates it sent with it, read from the handshake in progress.</summary>
    /// <returns>False when this runtime does not offer them; the caller owns what is returned.</returns>
    public static bool TryReadPeerChain(SslStream stream, [NotNullWhen(true)] out X509Certificate2? leaf, [NotNullWhen(true)] out X509Certificate2Collection? presented)
    {
        (leaf, presented) = (null, null);
        try
        {
            if (SecurityContext?.GetValue(stream) is not { } context)
            {
                return false;
            }

            X509Chain? chain = null;
            leaf = RemoteCertificate(null, context, ref chain, new X509ChainPolicy());
            if (leaf is null || chain is null)
            {
                leaf?.Dispose();
                chain?.Dispose();
                leaf = null;
                return false;
            }

            presented = [.. chain.ChainPolicy.ExtraStore];
            chain.Dispose();
            return true;
        }
        catch (Exception ex) when (ex is MissingMemberException or NotSupportedException or InvalidCastException or TargetException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Judges the server of <paramref name="stream"/> by the chain it sent, or, where this runtime does not offer the
    /// chain, by <paramref name="leaf"/> alone (its issuer must then be in the bundle). False when it cannot be judged.</summary>
    public static bool JudgePeer(SslStream stream, X509Certificate? leaf, Func<X509Certificate2, X509Certificate2Collection, bool> judge)
    {
        X509Certificate2? server = null;
        X509Certificate2Collection? presented = null;
        try
        {
            if (!TryReadPeerChain(stream, out server, out presented))
            {
                if (leaf is null)
                {
                    return false;
                }

                server = X509CertificateLoader.LoadCertificate(leaf.GetRawCertData());
                presented = [];
            }

            return judge(server, presented);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No bundle loaded, a chain the runtime cannot read: not judged, so not trusted.
            return false;
        }
        finally
        {
            server?.Dispose();
            foreach (var certificate in presented ?? [])
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Makes the handshake in progress present <paramref name="context"/> (leaf and intermediates), without handing
    /// it over: the context is shared by every connection and must outlive this one.</summary>
    public static bool TryPresent(SslStream stream, SslStreamCertificateContext context)
    {
        try
        {
            if (AuthenticationOptions?.GetValue(stream) is not { } options)
            {
                return false;
            }

            SetCertificateContext(options, context);
            SetOwnsCertificateContext(options, false);
            return true;
        }
        catch (Exception ex) when (ex is MissingMemberException or NotSupportedException or InvalidCastException or ArgumentException)
        {
            return false;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "GetRemoteCertificate")]
    private static extern X509Certificate2? RemoteCertificate(
        [UnsafeAccessorType("System.Net.CertificateValidationPal, " + Assembly)] object? pal,
        [UnsafeAccessorType("System.Net.Security.SafeDeleteContext, " + Assembly)] object? context,
        ref X509Chain? chain,
        X509ChainPolicy? policy);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_CertificateContext")]
    private static extern void SetCertificateContext([UnsafeAccessorType("System.Net.Security.SslAuthenticationOptions, " + Assembly)] object options, SslStreamCertificateContext? context);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_OwnsCertificateContext")]
    private static extern void SetOwnsCertificateContext([UnsafeAccessorType("System.Net.Security.SslAuthenticationOptions, " + Assembly)] object options, bool owns);
}
