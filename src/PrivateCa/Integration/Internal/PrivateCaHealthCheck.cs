using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PrivateCa.Integration.Internal;

/// <summary>Unhealthy when the sources cannot be loaded; Degraded when an anchor expires soon.</summary>
internal sealed class PrivateCaHealthCheck(
    TrustSourceCache sources,
    IOptionsMonitor<PrivateCaTrustOptions> options,
    TimeProvider time,
    string clientName,
    TimeSpan expiryWarning) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ReloadingTrustSource source;
        try
        {
            source = sources.SourceFor(options.Get(clientName));
        }
        catch (CertificateBundleException ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The CA bundle cannot be loaded: {ex.Message}", ex));
        }
        catch (OptionsValidationException ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The PrivateCa options are invalid: {ex.Message}", ex));
        }

        var snapshot = source.Current;
        var data = new Dictionary<string, object>
        {
            ["sources"] = snapshot.SourcesText,
            ["certificates"] = snapshot.Bundle.Count,
            ["anchors"] = snapshot.Anchors.Length,
        };
        if (source.LastError is { } error)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"The latest CA bundle could not be loaded; the last good one ({snapshot.Bundle.Count} certificates) stays in force. {error}", data: data));
        }

        var soonest = snapshot.Anchors.OrderBy(a => a.Facts.NotAfter).FirstOrDefault();
        if (soonest is not null)
        {
            data["earliestExpiry"] = soonest.Facts.NotAfter;
            var left = soonest.Facts.NotAfter - time.GetUtcNow();
            if (left < expiryWarning)
            {
                return Task.FromResult(HealthCheckResult.Degraded(
                    left < TimeSpan.Zero
                        ? $"Anchor '{soonest.SubjectName}' from {soonest.Source} expired at {soonest.Facts.NotAfter:u}."
                        : $"Anchor '{soonest.SubjectName}' from {soonest.Source} expires at {soonest.Facts.NotAfter:u}, in {left.TotalDays:0.#} days.",
                    data: data));
            }
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{snapshot.Bundle.Count} certificates from {snapshot.SourcesText}.", data));
    }
}
