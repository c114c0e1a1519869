using System.Diagnostics;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// The 'PrivateCa' activity source: a short activity for each rejected handshake and each reload, tagged with the
/// trust failure, host and source set. Started under whatever activity is current, so a rejection sits in the trace
/// of the request whose connection it refused. Costs one check when nobody listens.
/// </summary>
internal static class PrivateCaTracing
{
    public const string SourceName = "PrivateCa";
    public const string HandshakeRejectedName = "PrivateCa.HandshakeRejected";
    public const string ReloadName = "PrivateCa.Reload";

    private static readonly ActivitySource Source = new(SourceName);

    public static void HandshakeRejected(string host, TrustFailure failure, string sources, string reason)
    {
        using var activity = Source.StartActivity(HandshakeRejectedName, ActivityKind.Internal);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("server.address", host);
        activity.SetTag("privateca.trust_failure", failure.ToString());
        activity.SetTag("privateca.sources", sources);
        activity.SetStatus(ActivityStatusCode.Error, reason);
    }

    public static void Reloaded(string outcome, string sources, int certificates, string? error)
    {
        using var activity = Source.StartActivity(ReloadName, ActivityKind.Internal);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("privateca.reload.outcome", outcome);
        activity.SetTag("privateca.sources", sources);
        activity.SetTag("privateca.certificates", certificates);
        if (error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, error);
        }
    }
}
