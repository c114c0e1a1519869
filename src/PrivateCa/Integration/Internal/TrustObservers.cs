using Microsoft.Extensions.Logging;
using PrivateCa.X509.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>What the handlers of one client tell the logs and metrics, the same for the DI path and <see cref="TrustedHandlerFactory"/>.</summary>
internal static class TrustObservers
{
    /// <summary>Each handshake verdict: counted; a rejection logged and traced.</summary>
    public static Action<string, TrustFailure, string> Verdicts(ILogger logger, PrivateCaMetrics metrics, string sourcesText) => (host, failure, reason) =>
    {
        metrics.Validated(failure);
        if (failure != TrustFailure.None)
        {
            PrivateCaLog.HandshakeRejected(logger, host, failure, reason);
            PrivateCaTracing.HandshakeRejected(host, failure, sourcesText, reason);
        }
    };

    /// <summary>Each pooled connection dropped because the trust in force no longer trusts its server: counted and logged.</summary>
    public static Action<string> Withdrawn(ILogger logger, PrivateCaMetrics metrics) => host =>
    {
        metrics.ConnectionWithdrawn();
        var escaped = NameText.Escape(host);
        PrivateCaLog.ConnectionWithdrawn(logger, escaped);
    };
}
