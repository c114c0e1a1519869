using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrivateCa.Integration.Internal;

namespace PrivateCa.Tests.Integration;

/// <summary>A real ServiceCollection (ValidateOnBuild, ValidateScopes) with fake logging, and an environment the test controls.</summary>
internal static class ServiceHarness
{
    public static ServiceCollection Services(Dictionary<string, string>? environment = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug));
        services.AddMetrics();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        // The process environment of this machine names the system bundle; tests name their own.
        var variables = environment ?? [];
        services.AddSingleton(sp => new TrustSourceCache(
            sp.GetRequiredService<PrivateCaMetrics>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>(),
            name => variables.GetValueOrDefault(name)));
        return services;
    }

    public static ServiceProvider Build(this IServiceCollection services) =>
        services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
}
