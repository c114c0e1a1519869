using System.Collections.Immutable;
using PrivateCa.Bundle.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// One immutable view of what is trusted: the bundle, its anchors and intermediates, and a description of where
/// they came from. Read on the handshake path without locks; replaced whole on rotation.
/// </summary>
internal sealed class TrustSnapshot
{
    private TrustSnapshot(CertificateBundle bundle)
    {
        Bundle = bundle;
        Anchors = [.. bundle.Entries.Where(e => e.Facts.IsSelfIssued)];
        SourcesText = DescribeSources(bundle.SourceDetails);
    }

    public CertificateBundle Bundle { get; }

    /// <summary>Self-issued certificates: roots, and self-signed server certificates trusted as themselves.</summary>
    public ImmutableArray<CertificateEntry> Anchors { get; }

    /// <summary>For messages: "/etc/ssl/private.pem (SSL_CERT_FILE)".</summary>
    public string SourcesText { get; }

    public static TrustSnapshot From(CertificateBundle bundle) => new(bundle);

    /// <summary>Loads what the options name: <see cref="PrivateCaTrustOptions.BundlePaths"/>, else the environment.</summary>
    public static TrustSnapshot Load(PrivateCaTrustOptions options, Func<string, string?> environment, BundleLoadOptions? loadOptions = null)
    {
        loadOptions ??= new BundleLoadOptions();
        if (options.BundlePaths.Count > 0)
        {
            return new TrustSnapshot(CertificateBundleLoader.Load(options.BundlePaths, loadOptions));
        }

        if (options.UseEnvironment && CertificateBundleLoader.LoadFromEnvironment(environment, loadOptions) is { } bundle)
        {
            return new TrustSnapshot(bundle);
        }

        throw new CertificateBundleException(options.UseEnvironment
            ? "No CA bundle configured: set SSL_CERT_FILE or REQUESTS_CA_BUNDLE to a PEM bundle, or PrivateCa:BundlePaths (PrivateCaTrustOptions.BundlePaths) to files or directories."
            : "No CA bundle configured: UseEnvironment is false, so set PrivateCa:BundlePaths (PrivateCaTrustOptions.BundlePaths) to CA bundle files or directories.");
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

        return parts.Count == 0 ? "no source" : string.Join("; ", parts);
    }
}
