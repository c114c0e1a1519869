using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrivateCa.Integration.Internal;

namespace PrivateCa.Tests.Integration;

/// <summary>A real ServiceCollection (ValidateOnBuild, ValidateScopes) with fake logging, and an environment the test controls.</summary>
internal static class ServiceHarness
{
    public static ServiceCollection Services(Dictionary<string, string>? environment = null, TimeProvider? time = null, IReadOnlyList<string>? wellKnownLocations = null)
    {
        var variables = environment ?? [];
        return ServicesReading(name => variables.GetValueOrDefault(name), time, wellKnownLocations);
    }

    /// <summary>With an environment read through <paramref name="environment"/> at every decision, so a test can change it at run time.</summary>
    public static ServiceCollection ServicesReading(Func<string, string?> environment, TimeProvider? time = null, IReadOnlyList<string>? wellKnownLocations = null)
    {
        var services = new ServiceCollection();
        services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug));
        services.AddMetrics();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        // The process environment of this machine names the system bundle, and its disk holds well-known bundle files;
        // tests name their own.
        services.AddSingleton(sp => new TrustSourceCache(
            sp.GetRequiredService<PrivateCaMetrics>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>(),
            environment,
            wellKnownLocations ?? []));
        return services;
    }

    public static ServiceProvider Build(this IServiceCollection services) =>
        services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
}
