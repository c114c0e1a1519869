using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PrivateCa.Integration.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PrivateCa health check.</summary>
public static class PrivateCaHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that is Unhealthy when the client's CA bundle cannot be loaded (at start or at the latest reload,
    /// even though the last good bundle stays in force), Degraded when an anchor expires within <paramref name="expiryWarning"/>,
    /// and Healthy otherwise. Meant for readiness probes and alerts.
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
                services.GetRequiredService<TrustSourceCache>(),
                services.GetRequiredService<IOptionsMonitor<PrivateCa.PrivateCaTrustOptions>>(),
                services.GetService<TimeProvider>() ?? TimeProvider.System,
                clientName,
                window),
            failureStatus: HealthStatus.Unhealthy,
            tags: ["privateca"]));
    }
}
