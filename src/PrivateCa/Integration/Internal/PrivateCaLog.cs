using Microsoft.Extensions.Logging;

namespace PrivateCa.Integration.Internal;

/// <summary>PrivateCa's log events. The ids and names are stable: alerts and dashboards may rely on them.</summary>
internal static partial class PrivateCaLog
{
    [LoggerMessage(EventId = 1, EventName = "TrustLoaded", Level = LogLevel.Information,
        Message = "PrivateCa trust for '{Client}': {CertificateCount} certificates ({AnchorCount} anchors) from {Sources}; earliest anchor expiry {EarliestExpiry:u}; mode {Mode}, {Effect}; hosts {Hosts}")]
    public static partial void TrustLoaded(ILogger logger, string client, int certificateCount, int anchorCount, string sources, DateTimeOffset? earliestExpiry, TrustMode mode, string effect, string hosts);

    [LoggerMessage(EventId = 2, EventName = "TrustCertificate", Level = LogLevel.Debug,
        Message = "PrivateCa certificate '{Subject}' SHA-256 {Sha256} from {Source}, valid to {NotAfter:u}")]
    public static partial void TrustCertificate(ILogger logger, string subject, string sha256, string source, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 3, EventName = "BundleDiagnostic", Level = LogLevel.Warning,
        Message = "PrivateCa bundle: {Message}")]
    public static partial void BundleWarning(ILogger logger, string message);

    [LoggerMessage(EventId = 4, EventName = "TrustUnavailable", Level = LogLevel.Error,
        Message = "PrivateCa trust for '{Client}' cannot be loaded yet; its requests fail until it can, and it is tried again on the next request: {Reason}")]
    public static partial void TrustUnavailable(ILogger logger, string client, string reason);

    [LoggerMessage(EventId = 10, EventName = "ReloadApplied", Level = LogLevel.Information,
        Message = "PrivateCa reloaded {Sources}: {CertificateCount} certificates ({AnchorCount} anchors) now in force for new handshakes, {Effect}")]
    public static partial void ReloadApplied(ILogger logger, string sources, int certificateCount, int anchorCount, string effect);

    [LoggerMessage(EventId = 11, EventName = "ReloadRejected", Level = LogLevel.Error,
        Message = "PrivateCa rejected a changed CA bundle and keeps the last good one ({CertificateCount} certificates from {Sources}): {Reason}")]
    public static partial void ReloadRejected(ILogger logger, string sources, int certificateCount, string reason);

    [LoggerMessage(EventId = 12, EventName = "OptionsApplied", Level = LogLevel.Information,
        Message = "PrivateCa options of '{Client}' changed: new handshakes use them (sources {Sources}; mode {Mode}; hosts {Hosts})")]
    public static partial void OptionsApplied(ILogger logger, string client, string sources, TrustMode mode, string hosts);

    [LoggerMessage(EventId = 13, EventName = "OptionsRejected", Level = LogLevel.Error,
        Message = "PrivateCa rejected changed options of '{Client}' and keeps the last good ones: {Reason}")]
    public static partial void OptionsRejected(ILogger logger, string client, string reason);

    [LoggerMessage(EventId = 14, EventName = "ClientCertificateApplied", Level = LogLevel.Information,
        Message = "PrivateCa loaded the mTLS client certificate '{Subject}' (valid to {NotAfter:u}) from {Path}; new connections present it")]
    public static partial void ClientCertificateApplied(ILogger logger, string subject, DateTimeOffset notAfter, string path);

    [LoggerMessage(EventId = 15, EventName = "ClientCertificateRejected", Level = LogLevel.Error,
        Message = "PrivateCa rejected the mTLS client certificate in {Path}{Kept}: {Reason}")]
    public static partial void ClientCertificateRejected(ILogger logger, string path, string kept, string reason);

    [LoggerMessage(EventId = 16, EventName = "ClientKeyReadableByOthers", Level = LogLevel.Warning,
        Message = "PrivateCa: the mTLS private key {Path} is readable by other users (mode {Mode}); make it readable by the owner only (chmod 600, or defaultMode: 0400 on a Kubernetes Secret volume)")]
    public static partial void ClientKeyReadableByOthers(ILogger logger, string path, string mode);

    [LoggerMessage(EventId = 21, EventName = "ConnectionWithdrawn", Level = LogLevel.Information,
        Message = "PrivateCa dropped a pooled connection to {Host} before sending a request on it: the trust now in force no longer trusts that server. The request goes out on a new connection, judged under the new trust.")]
    public static partial void ConnectionWithdrawn(ILogger logger, string host);

    [LoggerMessage(EventId = 20, EventName = "HandshakeRejected", Level = LogLevel.Warning,
        Message = "PrivateCa rejected the certificate of {Host} ({Failure}): {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, string host, TrustFailure failure, string reason);
}
