using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// One trust snapshot per distinct set of sources, shared by every client that names them, and kept current:
/// file-system events (including Kubernetes' atomic '..data' swap) and a periodic check trigger a debounced
/// reload; a bundle that fails to load is rejected, logged and counted, and the last good snapshot stays in force.
/// </summary>
internal sealed class ReloadingTrustSource : IDisposable
{
    /// <summary>How long after the last change event a reload waits, so a burst of writes is read once.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);

    /// <summary>How often the sources are re-read even without an event (events can be missed on some volumes).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    private readonly PrivateCaTrustOptions _sourceOptions;
    private readonly Func<string, string?> _environment;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PrivateCaMetrics _metrics;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer? _debounce;
    private readonly ITimer? _poll;
    private readonly Lock _reloadGate = new();
    private TrustSnapshot _current;
    private int _loadCount;

    public ReloadingTrustSource(PrivateCaTrustOptions options, Func<string, string?> environment, TimeProvider time, ILogger logger, PrivateCaMetrics metrics)
    {
        _sourceOptions = new PrivateCaTrustOptions { UseEnvironment = options.UseEnvironment };
        foreach (var path in options.BundlePaths)
        {
            _sourceOptions.BundlePaths.Add(Path.GetFullPath(path));
        }

        _environment = environment;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _current = Load();
        metrics.ObserveExpiry(() => new Measurement<double>(DaysToEarliestExpiry() ?? double.NaN, new KeyValuePair<string, object?>("sources", Current.SourcesText)));

        if (options.ReloadOnChange)
        {
            _debounce = time.CreateTimer(_ => TryReload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _poll = time.CreateTimer(_ => TryReload(), null, PollInterval, PollInterval);
            Watch();
        }
    }

    /// <summary>The snapshot in force; read without locks on every handshake.</summary>
    public TrustSnapshot Current => Volatile.Read(ref _current);

    /// <summary>How many times the sources were read and parsed (the first load included).</summary>
    public int LoadCount => Volatile.Read(ref _loadCount);

    /// <summary>The last reload failure, cleared by the next success; null when the last attempt succeeded.</summary>
    public string? LastError { get; private set; }

    public double? DaysToEarliestExpiry()
    {
        var anchors = Current.Anchors;
        return anchors.IsEmpty ? null : (anchors.Min(a => a.Facts.NotAfter) - _time.GetUtcNow()).TotalDays;
    }

    /// <summary>Loads the sources again; swaps the result in when it loads and differs. Returns the outcome: applied, unchanged or rejected.</summary>
    public string TryReload()
    {
        lock (_reloadGate)
        {
            string outcome;
            try
            {
                var next = Load();
                var previous = Current;
                if (SameCertificates(previous, next) && previous.SourcesText == next.SourcesText)
                {
                    outcome = "unchanged";
                }
                else
                {
                    Volatile.Write(ref _current, next);
                    outcome = "applied";
                    PrivateCaLog.ReloadApplied(_logger, next.SourcesText, next.Bundle.Count, next.Anchors.Length);
                }

                LastError = null;
            }
            catch (CertificateBundleException ex)
            {
                outcome = "rejected";
                LastError = ex.Message;
                PrivateCaLog.ReloadRejected(_logger, Current.SourcesText, Current.Bundle.Count, ex.Message);
            }

            _metrics.Reloaded(outcome);
            PrivateCaTracing.Reloaded(outcome, Current.SourcesText, Current.Bundle.Count, LastError);
            return outcome;
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debounce?.Dispose();
        _poll?.Dispose();
    }

    private TrustSnapshot Load()
    {
        Interlocked.Increment(ref _loadCount);
        return TrustSnapshot.Load(_sourceOptions, _environment, new BundleLoadOptions { TimeProvider = _time });
    }

    private static bool SameCertificates(TrustSnapshot a, TrustSnapshot b) =>
        a.Bundle.Entries.Length == b.Bundle.Entries.Length
        && a.Bundle.Entries.Zip(b.Bundle.Entries).All(pair => pair.First.Der.AsSpan().SequenceEqual(pair.Second.Der));

    private void Watch()
    {
        // Watch the folder that holds each source: a Kubernetes volume swaps its '..data' link there, and an
        // editor or 'cp' replaces a file there. A directory source is watched with everything below it.
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Current.Bundle.Sources.Concat(_sourceOptions.BundlePaths))
        {
            var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(path);
            if (folder is not null && Directory.Exists(folder) && folders.Add(folder))
            {
                var watcher = new FileSystemWatcher(folder)
                {
                    IncludeSubdirectories = Directory.Exists(path) && _sourceOptions.BundlePaths.Contains(path),
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                };
                watcher.Changed += (_, _) => OnChange();
                watcher.Created += (_, _) => OnChange();
                watcher.Deleted += (_, _) => OnChange();
                watcher.Renamed += (_, _) => OnChange();
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
        }
    }

    private void OnChange()
    {
        _debounce?.Change(Debounce, Timeout.InfiniteTimeSpan);
    }
}
