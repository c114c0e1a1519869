using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// What one client's handlers use, built the same way for <see cref="TrustedHandlerFactory"/> and the DI path: the engine
/// on a snapshot provider, the source decision, and the mTLS identity. Immutable; replaced whole when options change.
/// </summary>
internal sealed class ClientTrust
{
    public ClientTrust(PrivateCaTrustOptions options, TrustSources sources, Func<TrustSnapshot> snapshot, IClientIdentitySource? identity,
        Action<string, TrustFailure, string>? observer = null)
    {
        Engine = new TrustEngine(options, snapshot) { Observer = observer };
        Sources = sources;
        Identity = identity;

        // Only when every host is judged here and the system's verdict never counts does the platform's own chain build
        // not matter, so the handler may make it cheap; everywhere else it is the system's verdict.
        PlatformBuildsSystemChain = !(Engine.Scope.IsEverything && options.Mode == TrustMode.CustomRootTrust && !sources.ExtendsSystemTrust);
    }

    public TrustEngine Engine { get; }

    public TrustSources Sources { get; }

    /// <summary>The configured mTLS identity; null when no client certificate is configured.</summary>
    public IClientIdentitySource? Identity { get; }

    public bool PlatformBuildsSystemChain { get; }

    /// <summary>Told of each pooled connection dropped because the trust in force no longer trusts its server (host); for logs and metrics.</summary>
    public Action<string>? ConnectionWithdrawn { get; init; }

    /// <summary>The validation callback of every handler: the engine's verdict, then, for a host in scope, a configured client
    /// certificate that is not loaded fails the connection (never a silent handshake without it).</summary>
    /// <exception cref="CertificateTrustException">The server is not trusted.</exception>
    /// <exception cref="CertificateBundleException">A client certificate is configured and none is loaded.</exception>
    public bool ValidateHandshake(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, int? port, bool platformChainIsSystem)
    {
        var trusted = Engine.ValidateHandshake(host, certificate, chain, errors, port, platformChainIsSystem);
        if (Identity is { Current: null } identity && Engine.Scope.Contains(host))
        {
            // The load error is escaped where it was made; the host comes from the request.
            throw new CertificateBundleException(
                $"PrivateCa did not send the request to {NameText.Escape(host)}{(port is null ? string.Empty : $":{port}")}: a client certificate is configured (ClientCertificatePath) and none is loaded ({identity.LastError ?? "not loaded yet"}). Requests to hosts in scope fail until it loads; fix the files and it is picked up.");
        }

        return trusted;
    }
}
