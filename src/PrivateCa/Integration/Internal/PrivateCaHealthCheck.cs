using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PrivateCa.Trust.Internal;
using PrivateCa.X509.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// Says what serves: Unhealthy only when no trust is in force (nothing has ever loaded, or the options are invalid);
/// Degraded while the last good bundle or client certificate serves after a rejected reload, or while a still-valid anchor
/// expires within the warning window; Healthy otherwise. An anchor that has already expired is a loader diagnostic, not Degraded.
/// </summary>
internal sealed class PrivateCaHealthCheck(PrivateCaTrustRegistry registry, TimeProvider time, string clientName, TimeSpan expiryWarning) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        ClientState state;
        ReloadingTrustSource source;
        try
        {
            state = registry.StateFor(clientName);
            source = state.Source.Load();
        }
        catch (CertificateBundleException ex)
        {
            return HealthCheckResult.Unhealthy($"No trust is in force: the CA bundle has never loaded. {ex.Message}", ex);
        }
        catch (OptionsValidationException ex)
        {
            return HealthCheckResult.Unhealthy($"No trust is in force: the PrivateCa options are invalid. {ex.Message}", ex);
        }

        var snapshot = source.Current;
        var data = new Dictionary<string, object>
        {
            ["sources"] = snapshot.SourcesText,
            ["certificates"] = snapshot.Bundle.Count,
            ["anchors"] = snapshot.Anchors.Length,
        };
        if (state.Certificate is { Current: null, LastError: { } never })
        {
            return HealthCheckResult.Unhealthy($"No mTLS client certificate is in force: it has never loaded. {never}", data: data);
        }

        if (state.RejectedOptions is { } options)
        {
            return HealthCheckResult.Degraded($"The last good PrivateCa options serve; the latest configuration change was rejected: {options}", data: data);
        }

        if (source.LastError is { } error)
        {
            return HealthCheckResult.Degraded(
                $"The last good CA bundle ({snapshot.Bundle.Count} certificates from {snapshot.SourcesText}) serves; the latest reload was rejected: {error}", data: data);
        }

        if (state.Certificate is { Current: { } certificate, LastError: { } rejected })
        {
            return HealthCheckResult.Degraded($"The last good mTLS client certificate '{NameText.Name(certificate.Certificate.Subject)}' serves; the latest reload was rejected: {rejected}", data: data);
        }

        var now = time.GetUtcNow();
        if (snapshot.RevocationLists.Stale(now).FirstOrDefault() is { } stale)
        {
            return HealthCheckResult.Degraded(RevocationLists.StaleText(stale), data: data);
        }

        if (source.EarliestExpiringAnchor(now) is { } soonest)
        {
            data["earliestExpiry"] = soonest.Facts.NotAfter;
            var left = soonest.Facts.NotAfter - now;
            if (left < expiryWarning)
            {
                return HealthCheckResult.Degraded(
                    $"Anchor '{soonest.SubjectText}' from {NameText.Escape(soonest.Source)} expires at {soonest.Facts.NotAfter:u}, in {left.TotalDays:0.#} days.", data: data);
            }
        }

        return HealthCheckResult.Healthy($"{snapshot.Bundle.Count} certificates from {snapshot.SourcesText}.", data);
    }
}
