using PrivateCa.Bundle.Internal;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// One client's way to its shared <see cref="ReloadingTrustSource"/>: loaded when the client is made, and, when that failed,
/// at the next handshake or health check (a failure is never remembered). Once loaded, a handshake reads it with one volatile read.
/// </summary>
internal sealed class LazyTrustSource(TrustSourceCache cache, TrustSources sources, Action<ReloadingTrustSource> loaded)
{
    private readonly Lock _gate = new();
    private ReloadingTrustSource? _source;

    public TrustSources Sources => sources;

    /// <summary>The loaded source, or null when no load has succeeded yet.</summary>
    public ReloadingTrustSource? Loaded => Volatile.Read(ref _source);

    /// <summary>The snapshot in force; loads first when nothing has loaded yet.</summary>
    /// <exception cref="CertificateBundleException">Nothing has loaded, and loading now fails.</exception>
    public TrustSnapshot Current() => (Volatile.Read(ref _source) ?? Load()).Current;

    /// <exception cref="CertificateBundleException">The sources cannot be loaded.</exception>
    public ReloadingTrustSource Load()
    {
        lock (_gate)
        {
            if (_source is { } source)
            {
                return source;
            }

            source = cache.SourceFor(sources);
            Volatile.Write(ref _source, source);
            loaded(source);
            return source;
        }
    }
}
