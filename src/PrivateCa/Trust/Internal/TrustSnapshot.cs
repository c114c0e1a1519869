using System.Collections.Immutable;
using PrivateCa.Bundle.Internal;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// One immutable view of what is trusted: the bundle, its anchors and intermediates, and a description of where
/// they came from. Read on the handshake path without locks; replaced whole on rotation.
/// </summary>
internal sealed class TrustSnapshot
{
    private TrustSnapshot(CertificateBundle bundle, TrustSources sources, RevocationLists revocationLists)
    {
        Bundle = bundle;
        RevocationLists = revocationLists;
        Sources = sources;
        Anchors = [.. bundle.Entries.Where(e => e.Facts.IsSelfIssued)];
        SourcesText = DescribeSources(bundle.SourceDetails);
    }

    public CertificateBundle Bundle { get; }

    /// <summary>The offline CRLs read with the bundle (<see cref="RevocationLists.None"/> when none is configured).</summary>
    public RevocationLists RevocationLists { get; }

    /// <summary>The decision the bundle was loaded from.</summary>
    public TrustSources Sources { get; }

    /// <summary>Self-issued certificates: roots, and self-signed server certificates trusted as themselves.</summary>
    public ImmutableArray<CertificateEntry> Anchors { get; }

    /// <summary>For messages: "/etc/ssl/private.pem (SSL_CERT_FILE)".</summary>
    public string SourcesText { get; }

    /// <summary>Loads what the sources name; <paramref name="rereads"/> as in <see cref="TrustSources.Load"/>.</summary>
    /// <exception cref="CertificateBundleException">Nothing is configured, a source cannot be loaded, or a CRL cannot be loaded or verified.</exception>
    public static TrustSnapshot Load(TrustSources sources, BundleLoadOptions loadOptions, IReadOnlyList<string>? wellKnownLocations = null, bool rereads = false)
    {
        var bundle = sources.Load(loadOptions, wellKnownLocations, rereads);
        return new(bundle, sources, RevocationLists.Load(sources.RevocationLists, bundle));
    }

    /// <summary>Where certificates came from, grouped by variable: "/etc/ssl/private.pem (SSL_CERT_FILE)", or with
    /// certificate counts for the start-up log: "/etc/ssl/private.pem (3) from SSL_CERT_FILE".</summary>
    public static string DescribeSources(IReadOnlyList<BundleSource> sources, bool withCounts = false)
    {
        var parts = new List<string>();
        foreach (var group in sources.GroupBy(s => s.Variable))
        {
            var files = group.ToList();
            var where = files.Count <= 3
                ? string.Join(", ", files.Select(f => withCounts ? $"{f.Path} ({f.CertificateCount})" : f.Path))
                : $"{files.Count} files in {Path.GetDirectoryName(files[0].Path)}{(withCounts ? $" ({files.Sum(f => f.CertificateCount)})" : string.Empty)}";
            parts.Add(group.Key is null ? where : withCounts ? $"{where} from {group.Key}" : $"{where} ({group.Key})");
        }

        // Paths come from variables, configuration and directory listings: escaped for the messages and log lines they go into.
        return parts.Count == 0 ? "no source" : NameText.Escape(string.Join("; ", parts));
    }
}
