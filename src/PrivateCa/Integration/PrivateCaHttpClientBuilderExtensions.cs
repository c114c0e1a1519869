using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using PrivateCa;
using PrivateCa.Integration.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes a named <see cref="HttpClient"/> (or, through <c>ConfigureHttpClientDefaults</c>, every client) trust a private CA.</summary>
public static class PrivateCaHttpClientBuilderExtensions
{
    private const string AllClients = "*";

    /// <summary>Trusts what the environment names (<c>SSL_CERT_FILE</c>, <c>REQUESTS_CA_BUNDLE</c>, …), with default options.</summary>
    /// <param name="builder">The client builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHttpClientBuilder AddPrivateCaTrust(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddCore(builder, configure: null);
    }

    /// <summary>Trusts what the configured options name.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Sets the options of this client.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IHttpClientBuilder AddPrivateCaTrust(this IHttpClientBuilder builder, Action<PrivateCaTrustOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder, configure);
    }

    /// <summary>Trusts what a configuration section names (for example section <c>PrivateCa</c> with <c>BundlePaths</c>, <c>Mode</c>, <c>Hosts</c>, …).</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="section">The section bound to <see cref="PrivateCaTrustOptions"/> by property name.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is null.</exception>
    public static IHttpClientBuilder AddPrivateCaTrust(this IHttpClientBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(builder, options => section.Bind(options));
    }

    private static IHttpClientBuilder AddCore(IHttpClientBuilder builder, Action<PrivateCaTrustOptions>? configure)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PrivateCaMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<TrustSourceCache>();
        services.TryAddSingleton<PrivateCaTrustRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrivateCaTrustOptions>, PrivateCaTrustOptionsValidator>());

        // Under ConfigureHttpClientDefaults the builder has no name: the settings apply to every client.
        var name = builder.Name;
        if (configure is not null)
        {
            services.Configure(name, configure);
        }

        services.AddOptions<PrivateCaTrustOptions>(name ?? Options.Options.DefaultName).ValidateOnStart();

        // Once per client (or once for all): a second call adds its settings but no second handler.
        var key = name ?? AllClients;
        if (!services.Any(d => d.ServiceType == typeof(PrivateCaClientMarker) && d.IsKeyedService && Equals(d.ServiceKey, key)))
        {
            services.AddKeyedSingleton<PrivateCaClientMarker>(key);
            services.Configure<HttpClientFactoryOptions>(name, options => options.HttpMessageHandlerBuilderActions.Add(handlerBuilder =>
            {
                handlerBuilder.PrimaryHandler = handlerBuilder.Services.GetRequiredService<PrivateCaTrustRegistry>().CreateHandler(handlerBuilder.Name ?? Options.Options.DefaultName);
                handlerBuilder.AdditionalHandlers.Insert(0, new TrustRejectionPortHandler());
            }));
        }

        return builder;
    }
}
