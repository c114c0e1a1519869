using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// What one client's handlers use, built the same way for <see cref="TrustedHandlerFactory"/> and the DI path: the engine
/// on a snapshot provider, the source decision, and the mTLS certificate provider. Immutable; replaced whole when options change.
/// </summary>
internal sealed class ClientTrust
{
    public ClientTrust(PrivateCaTrustOptions options, TrustSources sources, Func<TrustSnapshot> snapshot, Func<X509Certificate2?>? clientCertificate,
        Action<string, TrustFailure, string>? observer = null)
    {
        Engine = new TrustEngine(options, snapshot) { Observer = observer };
        Sources = sources;
        ClientCertificate = clientCertificate;

        // Only when every host is judged here and the system's verdict never counts does the platform's own chain build
        // not matter, so the handler may make it cheap; everywhere else it is the system's verdict.
        PlatformBuildsSystemChain = !(Engine.Scope.IsEverything && options.Mode == TrustMode.CustomRootTrust && !sources.ExtendsSystemTrust);
    }

    public TrustEngine Engine { get; }

    public TrustSources Sources { get; }

    /// <summary>The mTLS certificate in force (null when none); null when no client certificate is configured.</summary>
    public Func<X509Certificate2?>? ClientCertificate { get; }

    public bool PlatformBuildsSystemChain { get; }
}
