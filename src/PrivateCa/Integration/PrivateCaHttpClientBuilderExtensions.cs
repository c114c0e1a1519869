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
    private const string DefaultSection = "PrivateCa";

    /// <summary>
    /// Trusts what the <c>PrivateCa</c> configuration section names when an <see cref="IConfiguration"/> is registered (as in
    /// every host), else what the environment names (<c>SSL_CERT_FILE</c>, <c>REQUESTS_CA_BUNDLE</c>, …), with default options.
    /// When the configuration reloads, new handshakes use the new options.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHttpClientBuilder AddPrivateCaTrust(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var name = builder.Name;
        builder.Services.AddSingleton<IConfigureOptions<PrivateCaTrustOptions>>(services => new ConfigureNamedOptions<PrivateCaTrustOptions>(name, options =>
        {
            if (services.GetService<IConfiguration>() is { } configuration)
            {
                configuration.GetSection(DefaultSection).Bind(options);
            }
        }));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<PrivateCaTrustOptions>>(services =>
            new SectionChangeTokenSource(name, () => services.GetService<IConfiguration>()?.GetSection(DefaultSection)));
        return AddCore(builder);
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
        builder.Services.Configure(builder.Name, configure);
        return AddCore(builder);
    }

    /// <summary>Trusts what a configuration section names (for example section <c>PrivateCa</c> with <c>BundlePaths</c>, <c>Mode</c>, <c>Hosts</c>, …).
    /// When the configuration reloads, new handshakes use the new options.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="section">The section bound to <see cref="PrivateCaTrustOptions"/> by property name.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is null.</exception>
    public static IHttpClientBuilder AddPrivateCaTrust(this IHttpClientBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.Configure<PrivateCaTrustOptions>(builder.Name, options => section.Bind(options));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<PrivateCaTrustOptions>>(new SectionChangeTokenSource(builder.Name, () => section));
        return AddCore(builder);
    }

    private static IHttpClientBuilder AddCore(IHttpClientBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PrivateCaMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<TrustSourceCache>();
        services.TryAddSingleton<PrivateCaTrustRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrivateCaTrustOptions>, PrivateCaTrustOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrivateCaLoadCheck>, PrivateCaLoadCheckValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, PrivateCaHandlerFilter>());

        // Under ConfigureHttpClientDefaults the builder has no name: the settings apply to every client. The handler filter
        // applies trust once per handler, after every other configuration, however often this is called.
        services.Configure<PrivateCaClientSelection>(builder.Name, selection => selection.Enabled = true);
        var name = builder.Name ?? Options.Options.DefaultName;
        services.AddOptions<PrivateCaTrustOptions>(name).ValidateOnStart();
        services.AddOptions<PrivateCaLoadCheck>(name).ValidateOnStart();
        return builder;
    }
}
