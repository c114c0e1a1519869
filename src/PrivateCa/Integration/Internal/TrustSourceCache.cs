using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PrivateCa.Bundle.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>One <see cref="ReloadingTrustSource"/> per distinct set of sources, loaded once and shared by every client that names them.</summary>
internal sealed class TrustSourceCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ReloadingTrustSource>> _sources = new(StringComparer.Ordinal);
    private readonly PrivateCaMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<string, string?> _environment;

    public TrustSourceCache(PrivateCaMetrics metrics, TimeProvider time, ILoggerFactory? loggers = null)
        : this(metrics, time, loggers, Environment.GetEnvironmentVariable)
    {
    }

    internal TrustSourceCache(PrivateCaMetrics metrics, TimeProvider time, ILoggerFactory? loggers, Func<string, string?> environment)
    {
        _metrics = metrics;
        _time = time;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("PrivateCa");
        _environment = environment;
    }

    public IEnumerable<ReloadingTrustSource> Sources => _sources.Values.Where(l => l.IsValueCreated).Select(l => l.Value);

    /// <summary>The trust source for these options' sources, loaded once and shared.</summary>
    /// <exception cref="CertificateBundleException">The sources cannot be loaded.</exception>
    public ReloadingTrustSource SourceFor(PrivateCaTrustOptions options)
    {
        var key = SourceKey(options);
        var lazy = _sources.GetOrAdd(key, _ => new Lazy<ReloadingTrustSource>(() => new ReloadingTrustSource(options, _environment, _time, _logger, _metrics)));
        try
        {
            return lazy.Value;
        }
        catch (CertificateBundleException)
        {
            // Do not cache a failure: the next attempt (after the file is fixed) loads again.
            _sources.TryRemove(new KeyValuePair<string, Lazy<ReloadingTrustSource>>(key, lazy));
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

    private string SourceKey(PrivateCaTrustOptions options)
    {
        var watch = options.ReloadOnChange ? "|watch" : string.Empty;
        if (options.BundlePaths.Count > 0)
        {
            return "paths:" + string.Join("\n", options.BundlePaths.Select(Path.GetFullPath)) + watch;
        }

        return $"env:{options.UseEnvironment}|" + string.Join("\n", EnvironmentSources.Variables.Select(v => $"{v}={_environment(v)}")) + watch;
    }
}
