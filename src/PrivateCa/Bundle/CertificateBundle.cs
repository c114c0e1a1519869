using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;

namespace PrivateCa;

/// <summary>
/// An immutable, de-duplicated set of CA certificates with where each came from and what is worth
/// knowing about it. Made by <see cref="CertificateBundleLoader"/>.
/// </summary>
public sealed class CertificateBundle
{
    private readonly ImmutableArray<CertificateEntry> _entries;
    private readonly Lazy<IReadOnlyList<BundleDiagnostic>> _diagnostics;
    private readonly Lazy<IReadOnlyList<CertificateOrigin>> _origins;
    private readonly ImmutableArray<BundleDiagnostic> _loadDiagnostics;
    private readonly DateTimeOffset _loadedAt;

    internal CertificateBundle(
        ImmutableArray<CertificateEntry> entries,
        ImmutableArray<BundleSource> sources,
        ImmutableArray<BundleDiagnostic> loadDiagnostics,
        DateTimeOffset loadedAt,
        bool extendsSystemTrust)
    {
        _entries = entries;
        _loadDiagnostics = loadDiagnostics;
        _loadedAt = loadedAt;
        SourceDetails = sources;
        Sources = [.. sources.Select(s => s.Path)];
        _origins = new Lazy<IReadOnlyList<CertificateOrigin>>(() => [.. entries.Select(e => new CertificateOrigin(e.SubjectName, e.Sha256Hex, e.Source, e.Line))]);
        ExtendsSystemTrust = extendsSystemTrust;
        Index = new BundleIndex(entries);

        // Findings about each certificate are worded only when asked for: decoding names for
        // messages would cost more than the whole load, and the handshake path never needs them.
        _diagnostics = new Lazy<IReadOnlyList<BundleDiagnostic>>(() => Inspect(entries, loadDiagnostics, loadedAt, warningsOnly: false).AsReadOnly());
    }

    /// <summary>Gets every certificate loaded, each once.</summary>
    /// <value>
    /// A new collection of new <see cref="X509Certificate2"/> objects on every access, owned by the caller.
    /// Decoding costs about 0.2 ms a certificate, so keep the result rather than reading this in a loop.
    /// </value>
    public X509Certificate2Collection Certificates
    {
        get
        {
            var collection = new X509Certificate2Collection();
            foreach (var entry in _entries)
            {
                collection.Add(entry.CreateCertificate());
            }

            return collection;
        }
    }

    /// <summary>Gets how many certificates were loaded.</summary>
    /// <value>Zero or more; duplicates count once.</value>
    public int Count => _entries.Length;

    /// <summary>Gets the files actually read, in the order they were read.</summary>
    /// <value>Full paths, or the source name given to <see cref="CertificateBundleLoader.LoadPem(string, string)"/>.</value>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Gets where each certificate came from: file, line, subject and fingerprint.</summary>
    /// <value>One entry per certificate, in the order of <see cref="Certificates"/>; worded on first access.</value>
    public IReadOnlyList<CertificateOrigin> Origins => _origins.Value;

    /// <summary>Gets the files actually read with the environment variable that named each and its certificate count.</summary>
    /// <value>One entry per file, in the order of <see cref="Sources"/>.</value>
    public IReadOnlyList<BundleSource> SourceDetails { get; }

    /// <summary>Gets what is worth knowing about the input: skipped blocks, expired or weak certificates, duplicates.</summary>
    /// <value>Empty when there is nothing to report. Validity is judged at the time of the load.</value>
    public IReadOnlyList<BundleDiagnostic> Diagnostics => _diagnostics.Value;

    /// <summary>Gets whether these certificates are meant to be added to the system's roots rather than replace them.</summary>
    /// <value><see langword="true"/> only when the bundle came from <c>NODE_EXTRA_CA_CERTS</c> alone, which Node adds to its roots.</value>
    public bool ExtendsSystemTrust { get; }

    internal ImmutableArray<CertificateEntry> Entries => _entries;

    internal BundleIndex Index { get; }

    /// <summary>The diagnostics of severity Warning or above, as <see cref="Diagnostics"/> lists them, without wording the
    /// Information findings of every certificate first (the start-up log needs only these, before the first handshake).</summary>
    internal IEnumerable<BundleDiagnostic> Warnings()
    {
        if (_diagnostics.IsValueCreated)
        {
            return _diagnostics.Value.Where(IsWarning);
        }

        return Inspect(_entries, _loadDiagnostics.Where(IsWarning), _loadedAt, warningsOnly: true);

        static bool IsWarning(BundleDiagnostic d) => d.Severity >= BundleDiagnosticSeverity.Warning;
    }

    private static List<BundleDiagnostic> Inspect(ImmutableArray<CertificateEntry> entries, IEnumerable<BundleDiagnostic> loadDiagnostics, DateTimeOffset loadedAt, bool warningsOnly)
    {
        var all = new List<BundleDiagnostic>(loadDiagnostics);
        foreach (var entry in entries)
        {
            CertificateDiagnostics.Inspect(entry, loadedAt, all, warningsOnly);
        }

        CertificateDiagnostics.FindDuplicateSubjects(entries, all);
        return all;
    }
}
