using Microsoft.Extensions.Diagnostics.HealthChecks;
using PrivateCa.Integration.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PrivateCa health check.</summary>
public static class PrivateCaHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that says what serves: Unhealthy only when no trust is in force (the client's CA bundle, or its mTLS
    /// certificate, has never loaded); Degraded while the last good bundle or certificate serves after a rejected reload, or
    /// while a still-valid anchor expires within <paramref name="expiryWarning"/>; Healthy otherwise. An anchor that has
    /// already expired is reported by the loader's diagnostics, not here. Meant for readiness probes and alerts.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="clientName">The named HttpClient whose trust is checked; empty for the default options.</param>
    /// <param name="expiryWarning">How early an expiring anchor makes the check Degraded; default 30 days.</param>
    /// <param name="name">The check's name; default <c>privateca</c> (plus the client name).</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="clientName"/> is null.</exception>
    public static IHealthChecksBuilder AddPrivateCaTrust(this IHealthChecksBuilder builder, string clientName = "", TimeSpan? expiryWarning = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(clientName);
        var window = expiryWarning ?? TimeSpan.FromDays(30);
        return builder.Add(new HealthCheckRegistration(
            name ?? (clientName.Length == 0 ? "privateca" : $"privateca:{clientName}"),
            services => new PrivateCaHealthCheck(
                services.GetRequiredService<PrivateCaTrustRegistry>(),
                services.GetService<TimeProvider>() ?? TimeProvider.System,
                clientName,
                window),
            failureStatus: HealthStatus.Unhealthy,
            tags: ["privateca"]));
    }
}
