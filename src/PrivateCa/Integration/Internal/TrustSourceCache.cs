using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PrivateCa.Bundle.Internal;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// Where loading happens: one <see cref="ReloadingTrustSource"/> per <see cref="TrustSources.Key"/>, loaded once and shared
/// by every client that names the same sources. A failed load is not remembered: the next request tries again, so a
/// bundle that appears after a failed first attempt is used without a restart.
/// </summary>
internal sealed class TrustSourceCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ReloadingTrustSource>> _sources = new(StringComparer.Ordinal);
    private readonly PrivateCaMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<string>? _wellKnownLocations;

    public TrustSourceCache(PrivateCaMetrics metrics, TimeProvider time, ILoggerFactory? loggers = null)
        : this(metrics, time, loggers, System.Environment.GetEnvironmentVariable)
    {
    }

    internal TrustSourceCache(PrivateCaMetrics metrics, TimeProvider time, ILoggerFactory? loggers, Func<string, string?> environment, IReadOnlyList<string>? wellKnownLocations = null)
    {
        _metrics = metrics;
        _time = time;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("PrivateCa");
        Environment = environment;
        _wellKnownLocations = wellKnownLocations;
    }

    /// <summary>How variables are read (the process environment, or the test's).</summary>
    public Func<string, string?> Environment { get; }

    public IEnumerable<ReloadingTrustSource> Sources => _sources.Values.Where(l => l.IsValueCreated).Select(l => l.Value);

    /// <summary>Decides where these options' trust comes from; reads no file.</summary>
    public TrustSources Decide(PrivateCaTrustOptions options) => TrustSources.Resolve(options, Environment);

    /// <summary>The loaded, shared source for these sources.</summary>
    /// <exception cref="CertificateBundleException">The sources cannot be loaded (not remembered: the next call tries again).</exception>
    public ReloadingTrustSource SourceFor(TrustSources sources)
    {
        var lazy = _sources.GetOrAdd(sources.Key, _ => new Lazy<ReloadingTrustSource>(() => new ReloadingTrustSource(
            sources,
            () => sources.Redecide(Environment),
            Load,
            _time,
            _logger,
            _metrics)));
        try
        {
            return lazy.Value;
        }
        catch (CertificateBundleException)
        {
            _sources.TryRemove(new KeyValuePair<string, Lazy<ReloadingTrustSource>>(sources.Key, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var source in Sources)
        {
            source.Dispose();
        }
    }

    private TrustSnapshot Load(TrustSources sources) =>
        TrustSnapshot.Load(sources, new BundleLoadOptions { TimeProvider = _time }, _wellKnownLocations, rereads: sources.Watched);
}
