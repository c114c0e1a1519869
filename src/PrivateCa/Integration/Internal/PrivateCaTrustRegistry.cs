using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using PrivateCa.Trust.Internal;
using PrivateCa.X509.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// Holds the trust of each client name for the application's lifetime, on the shared sources of <see cref="TrustSourceCache"/>,
/// so the factory's handler recycling makes handlers without reading or parsing any bundle again. When bound configuration
/// reloads, each client's trust is rebuilt from its new options and swapped in for new handshakes; options that fail
/// validation or name sources that cannot be loaded are rejected, logged, and the last good trust stays.
/// </summary>
internal sealed class PrivateCaTrustRegistry : IDisposable
{
    /// <summary>Connections of a handler that would otherwise keep them forever are re-established this often, so none outlives a rotation for long.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Bundle warnings written to the start-up log at most, per load; one more line counts the rest.</summary>
    public const int MaxWarningsLogged = 100;

    private readonly IOptionsMonitor<PrivateCaTrustOptions> _options;
    private readonly IOptionsMonitorCache<PrivateCaTrustOptions> _optionsCache;
    private readonly TrustSourceCache _sources;
    private readonly PrivateCaMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<ClientState>> _clients = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _rebuildGate = new();

    public PrivateCaTrustRegistry(
        IOptionsMonitor<PrivateCaTrustOptions> options,
        IOptionsMonitorCache<PrivateCaTrustOptions> optionsCache,
        IEnumerable<IOptionsChangeTokenSource<PrivateCaTrustOptions>> changes,
        TrustSourceCache sources,
        PrivateCaMetrics metrics,
        TimeProvider time,
        ILoggerFactory? loggers = null)
    {
        _options = options;
        _optionsCache = optionsCache;
        _sources = sources;
        _metrics = metrics;
        _time = time;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("PrivateCa");
        foreach (var change in changes)
        {
            var name = change.Name;
            _subscriptions.Add(ChangeToken.OnChange(change.GetChangeToken, () => OptionsChanged(name)));
        }
    }

    /// <summary>The handler factory of one named client. Its options are validated here (fields only); its bundle is loaded
    /// here when it can be, else at the first handshake, so a bundle that appears later is used without a restart.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public TrustedHandlerFactory FactoryFor(string name) => StateFor(name).Factory;

    public ClientState StateFor(string name)
    {
        var lazy = _clients.GetOrAdd(name, n => new Lazy<ClientState>(() => Create(n)));
        try
        {
            return lazy.Value;
        }
        catch (OptionsValidationException)
        {
            _clients.TryRemove(new KeyValuePair<string, Lazy<ClientState>>(name, lazy));
            throw;
        }
    }

    /// <summary>Configures a primary handler the client builder already has, keeping its other settings.</summary>
    public void Apply(string name, HttpMessageHandler handler)
    {
        FactoryFor(name).Configure(handler, name);
        var pool = handler switch
        {
            SocketsHttpHandler sockets => sockets,
            HttpClientHandler classic => PlatformPolicy.Underlying(classic, name),
            _ => null,
        };
        if (pool is { PooledConnectionLifetime: var lifetime } && lifetime == Timeout.InfiniteTimeSpan)
        {
            pool.PooledConnectionLifetime = PooledConnectionLifetime;
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        foreach (var state in _clients.Values.Where(l => l.IsValueCreated).Select(l => l.Value))
        {
            state.Certificate?.Dispose();
        }
    }

    private ClientState Create(string name)
    {
        var options = _options.Get(name);
        var (trust, source, certificate) = Build(name, options, previous: null);
        var slot = new ClientTrustSlot(trust);
        var state = new ClientState(name, slot, new TrustedHandlerFactory(slot)) { Options = options, Source = source, Certificate = certificate };
        TryLoad(name, source);
        return state;
    }

    private (ClientTrust Trust, LazyTrustSource Source, ReloadingClientCertificate? Certificate) Build(string name, PrivateCaTrustOptions options, ClientState? previous)
    {
        var sources = _sources.Decide(options);
        var source = previous is not null && previous.Source.Sources.Equals(sources)
            ? previous.Source
            : new LazyTrustSource(_sources, sources, loaded => Report(name, options, loaded.Current));

        var certificate = previous?.Certificate;
        if (previous is null || previous.Options.ClientCertificatePath != options.ClientCertificatePath || previous.Options.ClientKeyPath != options.ClientKeyPath
            || previous.Options.ReloadOnChange != options.ReloadOnChange)
        {
            certificate = options.ClientCertificatePath is null
                ? null
                : new ReloadingClientCertificate(options.ClientCertificatePath, options.ClientKeyPath, options.ReloadOnChange, _time, _logger);
        }

        var trust = new ClientTrust(options, sources, source.Current, certificate, TrustObservers.Verdicts(_logger, _metrics, sources.Text))
        {
            ConnectionWithdrawn = TrustObservers.Withdrawn(_logger, _metrics),
        };
        return (trust, source, certificate);
    }

    private void TryLoad(string name, LazyTrustSource source)
    {
        try
        {
            source.Load();
        }
        catch (CertificateBundleException ex)
        {
            PrivateCaLog.TrustUnavailable(_logger, Display(name), ex.Message);
        }
    }

    private void OptionsChanged(string? name)
    {
        lock (_rebuildGate)
        {
            var names = name is null ? [.. _clients.Keys] : new[] { name };
            foreach (var client in names)
            {
                _optionsCache.TryRemove(client);
                if (_clients.TryGetValue(client, out var lazy) && lazy.IsValueCreated)
                {
                    Rebuild(lazy.Value);
                }
            }
        }
    }

    private void Rebuild(ClientState state)
    {
        PrivateCaTrustOptions options;
        try
        {
            options = _options.Get(state.Name);
        }
        catch (OptionsValidationException ex)
        {
            Reject(state, ex.Message);
            return;
        }

        ClientTrust trust;
        LazyTrustSource source;
        ReloadingClientCertificate? certificate;
        try
        {
            (trust, source, certificate) = Build(state.Name, options, state);
        }
        catch (ArgumentException ex)
        {
            Reject(state, ex.Message);
            return;
        }

        if (certificate is { Current: null, LastError: { } certificateError } && !ReferenceEquals(certificate, state.Certificate) && state.Certificate?.Current is not null)
        {
            // A new client certificate must load before it replaces one that did.
            certificate.Dispose();
            Reject(state, certificateError);
            return;
        }

        try
        {
            // New sources must load before they replace sources that did.
            if (state.Source.Loaded is not null && !ReferenceEquals(source, state.Source))
            {
                source.Load();
            }
        }
        catch (CertificateBundleException ex)
        {
            if (!ReferenceEquals(certificate, state.Certificate))
            {
                certificate?.Dispose();
            }

            Reject(state, ex.Message);
            return;
        }

        state.Slot.Swap(trust);
        if (!ReferenceEquals(certificate, state.Certificate))
        {
            state.Certificate?.Dispose();
        }

        state.Options = options;
        state.RejectedOptions = null;
        state.Source = source;
        state.Certificate = certificate;
        var client = Display(state.Name);
        var hosts = HostsText(options);
        PrivateCaLog.OptionsApplied(_logger, client, source.Sources.Text, options.Mode, hosts);
    }

    private void Reject(ClientState state, string reason)
    {
        state.RejectedOptions = reason;
        PrivateCaLog.OptionsRejected(_logger, Display(state.Name), reason);
    }

    private void Report(string name, PrivateCaTrustOptions options, TrustSnapshot snapshot)
    {
        var bundle = snapshot.Bundle;
        var earliest = snapshot.Anchors.IsEmpty ? (DateTimeOffset?)null : snapshot.Anchors.Min(a => a.Facts.NotAfter);
        var details = TrustSnapshot.DescribeSources(bundle.SourceDetails, withCounts: true);
        var (mode, effect) = bundle.ExtendsSystemTrust
            ? (TrustMode.SystemAndCustomRoots, snapshot.Sources.Effect)
            : options.Mode == TrustMode.SystemAndCustomRoots
                ? (TrustMode.SystemAndCustomRoots, "the system's roots first, then the bundle's anchors")
                : (TrustMode.CustomRootTrust, "only the bundle's anchors, in place of the system's roots");
        var client = Display(name);
        var hosts = HostsText(options);
        PrivateCaLog.TrustLoaded(_logger, client, bundle.Count, snapshot.Anchors.Length, details, earliest, mode, effect, hosts);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var entry in bundle.Entries)
            {
                var (subject, source) = (entry.SubjectText, NameText.Escape(entry.Source));
                PrivateCaLog.TrustCertificate(_logger, subject, entry.Sha256Hex, source, entry.Facts.NotAfter);
            }
        }

        if (_logger.IsEnabled(LogLevel.Warning))
        {
            foreach (var stale in snapshot.RevocationLists.Stale(_time.GetUtcNow()))
            {
                PrivateCaLog.BundleWarning(_logger, RevocationLists.StaleText(stale));
            }

            // Bounded: a bundle of thousands of expired or weak certificates must not flood the log at every start.
            var warnings = 0;
            foreach (var diagnostic in bundle.Warnings())
            {
                if (++warnings <= MaxWarningsLogged)
                {
                    PrivateCaLog.BundleWarning(_logger, diagnostic.Message);
                }
            }

            if (warnings > MaxWarningsLogged)
            {
                PrivateCaLog.BundleWarning(_logger,
                    $"{warnings - MaxWarningsLogged:N0} more warnings about {details} are not logged; CertificateBundle.Diagnostics or 'privateca inspect' lists them all.");
            }
        }
    }

    /// <summary>A client name for a log line: it comes from code or configuration, and is escaped like every text from input.</summary>
    private static string Display(string name) => name.Length == 0 ? "(default)" : NameText.Escape(name);

    private static string HostsText(PrivateCaTrustOptions options) => options.Hosts.Count == 0 ? "all" : NameText.Escape(string.Join(", ", options.Hosts));
}
