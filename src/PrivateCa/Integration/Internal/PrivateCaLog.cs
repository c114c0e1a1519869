using Microsoft.Extensions.Logging;

namespace PrivateCa.Integration.Internal;

/// <summary>PrivateCa's log events. The ids and names are stable: alerts and dashboards may rely on them.</summary>
internal static partial class PrivateCaLog
{
    [LoggerMessage(EventId = 1, EventName = "TrustLoaded", Level = LogLevel.Information,
        Message = "PrivateCa trust for '{Client}': {CertificateCount} certificates ({AnchorCount} anchors) from {Sources}; earliest anchor expiry {EarliestExpiry:u}; mode {Mode}; hosts {Hosts}")]
    public static partial void TrustLoaded(ILogger logger, string client, int certificateCount, int anchorCount, string sources, DateTimeOffset? earliestExpiry, TrustMode mode, string hosts);

    [LoggerMessage(EventId = 2, EventName = "TrustCertificate", Level = LogLevel.Debug,
        Message = "PrivateCa certificate '{Subject}' SHA-256 {Sha256} from {Source}, valid to {NotAfter:u}")]
    public static partial void TrustCertificate(ILogger logger, string subject, string sha256, string source, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 3, EventName = "BundleDiagnostic", Level = LogLevel.Warning,
        Message = "PrivateCa bundle: {Message}")]
    public static partial void BundleWarning(ILogger logger, string message);

    [LoggerMessage(EventId = 10, EventName = "ReloadApplied", Level = LogLevel.Information,
        Message = "PrivateCa reloaded {Sources}: {CertificateCount} certificates ({AnchorCount} anchors) now in force for new handshakes")]
    public static partial void ReloadApplied(ILogger logger, string sources, int certificateCount, int anchorCount);

    [LoggerMessage(EventId = 11, EventName = "ReloadRejected", Level = LogLevel.Error,
        Message = "PrivateCa rejected a changed CA bundle and keeps the last good one ({CertificateCount} certificates from {Sources}): {Reason}")]
    public static partial void ReloadRejected(ILogger logger, string sources, int certificateCount, string reason);

    [LoggerMessage(EventId = 20, EventName = "HandshakeRejected", Level = LogLevel.Warning,
        Message = "PrivateCa rejected the certificate of {Host} ({Failure}): {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, string host, TrustFailure failure, string reason);
}
