using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// Holds one engine per client name for the application's lifetime, on the shared sources of <see cref="TrustSourceCache"/>,
/// so the factory's handler recycling (every 2 minutes by default) makes handlers without reading or parsing any bundle again.
/// </summary>
internal sealed class PrivateCaTrustRegistry
{
    /// <summary>Connections are re-established this often, so none outlives a rotation for long.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    private readonly IOptionsMonitor<PrivateCaTrustOptions> _options;
    private readonly TrustSourceCache _sources;
    private readonly PrivateCaMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<TrustedHandlerFactory>> _clients = new(StringComparer.Ordinal);

    public PrivateCaTrustRegistry(IOptionsMonitor<PrivateCaTrustOptions> options, TrustSourceCache sources, PrivateCaMetrics metrics, ILoggerFactory? loggers = null)
    {
        _options = options;
        _sources = sources;
        _metrics = metrics;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger("PrivateCa");
    }


    /// <summary>The handler factory of one named client; its options are validated on first use.</summary>
    public TrustedHandlerFactory FactoryFor(string name) =>
        _clients.GetOrAdd(name, n => new Lazy<TrustedHandlerFactory>(() => CreateFactory(n))).Value;

    public SocketsHttpHandler CreateHandler(string name)
    {
        var handler = FactoryFor(name).CreateSocketsHttpHandler();
        handler.PooledConnectionLifetime = PooledConnectionLifetime;
        return handler;
    }

    private TrustedHandlerFactory CreateFactory(string name)
    {
        var options = _options.Get(name);
        var source = _sources.SourceFor(options);
        var clientLogger = _loggers.CreateLogger("PrivateCa");
        var engine = new TrustEngine(options, () => source.Current)
        {
            Observer = (host, failure, reason) =>
            {
                _metrics.Validated(failure);
                if (failure != TrustFailure.None)
                {
                    PrivateCaLog.HandshakeRejected(clientLogger, host, failure, reason);
                    PrivateCaTracing.HandshakeRejected(host, failure, source.Current.SourcesText, reason);
                }
            },
        };
        Report(name, options, source.Current);
        return new TrustedHandlerFactory(engine, ClientCertificate.Load(options));
    }

    private void Report(string name, PrivateCaTrustOptions options, TrustSnapshot snapshot)
    {
        var bundle = snapshot.Bundle;
        DateTimeOffset? earliest = snapshot.Anchors.IsEmpty ? null : snapshot.Anchors.Min(a => a.Facts.NotAfter);
        var details = TrustSnapshot.DescribeSources(bundle.SourceDetails, withCounts: true);
        PrivateCaLog.TrustLoaded(_logger, name.Length == 0 ? "(default)" : name, bundle.Count, snapshot.Anchors.Length, details, earliest,
            options.Mode, options.Hosts.Count == 0 ? "all" : string.Join(", ", options.Hosts));
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var entry in bundle.Entries)
            {
                PrivateCaLog.TrustCertificate(_logger, entry.SubjectName, entry.Sha256Hex, entry.Source, entry.Facts.NotAfter);
            }
        }

        foreach (var diagnostic in bundle.Diagnostics.Where(d => d.Severity >= BundleDiagnosticSeverity.Warning))
        {
            PrivateCaLog.BundleWarning(_logger, diagnostic.Message);
        }
    }
}
