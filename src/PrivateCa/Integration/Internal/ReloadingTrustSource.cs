using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using PrivateCa.Bundle.Internal;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// One trust snapshot per distinct <see cref="TrustSources"/>, shared by every client that names them, and kept current:
/// file-system events (including Kubernetes' atomic '..data' swap) and a periodic check trigger a debounced reload;
/// sources that follow the environment are decided again at each reload, so a variable changed at run time takes effect
/// within <see cref="FileWatch.PollInterval"/>. A bundle that fails to load is rejected, logged and counted, and the
/// last good snapshot stays in force.
/// </summary>
internal sealed class ReloadingTrustSource : IDisposable
{
    private readonly Func<TrustSources> _decide;
    private readonly Func<TrustSources, TrustSnapshot> _load;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PrivateCaMetrics _metrics;
    private readonly FileWatch? _watch;
    private readonly Lock _reloadGate = new();
    private TrustSnapshot _current;
    private string? _lastError;
    private int _loadCount;
    private bool _disposed;

    /// <exception cref="CertificateBundleException">The first load fails.</exception>
    public ReloadingTrustSource(TrustSources sources, Func<TrustSources> decide, Func<TrustSources, TrustSnapshot> load, TimeProvider time, ILogger logger, PrivateCaMetrics metrics)
    {
        _decide = decide;
        _load = load;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _current = Load(sources);
        metrics.ObserveExpiry(() => new Measurement<double>(DaysToEarliestExpiry() ?? double.NaN, new KeyValuePair<string, object?>("sources", Current.SourcesText)));

        if (sources.Watched)
        {
            _watch = new FileWatch(time, () => TryReload());
            _watch.WatchFolders(sources.WatchList);
        }
    }

    /// <summary>The snapshot in force; read without locks on every handshake.</summary>
    public TrustSnapshot Current => Volatile.Read(ref _current);

    /// <summary>How many times the sources were read and parsed (the first load included).</summary>
    public int LoadCount => Volatile.Read(ref _loadCount);

    /// <summary>The last reload failure, cleared by the next success; null when the last attempt succeeded.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Anchors that are still valid; one that has expired is a loader diagnostic, not something to count down to.</summary>
    public CertificateEntry? EarliestExpiringAnchor(DateTimeOffset now) =>
        Current.Anchors.Where(a => a.Facts.NotAfter > now).OrderBy(a => a.Facts.NotAfter).FirstOrDefault();

    public double? DaysToEarliestExpiry()
    {
        var now = _time.GetUtcNow();
        return EarliestExpiringAnchor(now) is { } anchor ? (anchor.Facts.NotAfter - now).TotalDays : null;
    }

    /// <summary>Decides the sources again and loads them; swaps the result in when it loads and differs. Returns the outcome: applied, unchanged or rejected.</summary>
    public string TryReload()
    {
        lock (_reloadGate)
        {
            if (_disposed)
            {
                return "unchanged";
            }

            string outcome;
            var previous = Current;
            try
            {
                var sources = _decide();
                _watch?.WatchFolders(sources.WatchList);
                var next = Load(sources);
                if (SameCertificates(previous, next) && previous.SourcesText == next.SourcesText && previous.Sources.Equals(next.Sources) && previous.RevocationLists.SameAs(next.RevocationLists))
                {
                    outcome = "unchanged";
                }
                else
                {
                    Volatile.Write(ref _current, next);
                    outcome = "applied";
                    PrivateCaLog.ReloadApplied(_logger, next.SourcesText, next.Bundle.Count, next.Anchors.Length, next.Sources.Effect);
                    foreach (var unused in next.Sources.Unused.Where(u => !previous.Sources.Unused.Contains(u)))
                    {
                        PrivateCaLog.BundleWarning(_logger, unused.ToDiagnostic().Message);
                    }
                }

                Volatile.Write(ref _lastError, null);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The boundary of a timer callback: anything a reload meets is a rejected reload, never a crashed process.
                outcome = "rejected";
                Volatile.Write(ref _lastError, ex.Message);
                PrivateCaLog.ReloadRejected(_logger, previous.SourcesText, previous.Bundle.Count, ex.Message);
            }

            _metrics.Reloaded(outcome);
            PrivateCaTracing.Reloaded(outcome, Current.SourcesText, Current.Bundle.Count, LastError);
            return outcome;
        }
    }

    /// <summary>Stops watching; a reload already running finishes without swapping anything in.</summary>
    public void Dispose()
    {
        lock (_reloadGate)
        {
            _disposed = true;
        }

        _watch?.Dispose();
    }

    private TrustSnapshot Load(TrustSources sources)
    {
        Interlocked.Increment(ref _loadCount);
        return _load(sources);
    }

    private static bool SameCertificates(TrustSnapshot a, TrustSnapshot b) =>
        a.Bundle.Entries.Length == b.Bundle.Entries.Length
        && a.Bundle.Entries.Zip(b.Bundle.Entries).All(pair => pair.First.Der.AsSpan().SequenceEqual(pair.Second.Der));
}
