using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>What the engine found for one chain; turned into a <see cref="TrustVerdict"/> only when someone needs it.</summary>
internal sealed class Evaluation : IDisposable
{
    private readonly TrustSnapshot? _snapshot;
    private readonly string _host;
    private readonly X509Certificate2? _leaf;
    private readonly X509Certificate2Collection? _presented;
    private readonly X509Certificate2[] _elements;
    private readonly bool _ownsElements;
    private readonly CertificateEntry? _anchor;
    private readonly IReadOnlyList<CertificateEntry> _triedAnchors;
    private readonly bool _viaSystem;
    private bool _chainHandedOut;

    // snapshot is null for a verdict of the system alone (a host outside Hosts), which never words the bundle.
    public Evaluation(TrustSnapshot? snapshot, string host, X509Certificate2? leaf, X509Certificate2Collection? presented, List<TrustProblem> problems,
        X509Certificate2[] elements, CertificateEntry? anchor, IReadOnlyList<CertificateEntry> triedAnchors, bool viaSystem, bool ownsElements = true)
    {
        _snapshot = snapshot;
        _host = host;
        _leaf = leaf;
        _presented = presented;
        _elements = elements;
        _ownsElements = ownsElements;
        _anchor = anchor;
        _triedAnchors = triedAnchors;
        _viaSystem = viaSystem;

        // Stable order, most fundamental first: the first problem is the one reported as the reason.
        Problems = problems.Count == 0 ? [] : [.. problems.OrderBy(p => Rank(p.Failure))];
    }

    public IReadOnlyList<TrustProblem> Problems { get; }

    public bool IsTrusted => Problems.Count == 0;

    /// <summary>When every certificate of the built chain is valid: the latest notBefore to the earliest notAfter; null without a chain.</summary>
    public (DateTimeOffset From, DateTimeOffset To)? ValidityWindow =>
        _elements.Length == 0
            ? null
            : (new DateTimeOffset(_elements.Max(e => e.NotBefore.ToUniversalTime()), TimeSpan.Zero), new DateTimeOffset(_elements.Min(e => e.NotAfter.ToUniversalTime()), TimeSpan.Zero));

    public static Evaluation Reject(TrustSnapshot snapshot, string host, TrustProblem problem) =>
        new(snapshot, host, null, null, [problem], [], null, [], viaSystem: false);

    public TrustVerdict ToVerdict(bool keepChain)
    {
        var chain = keepChain && _ownsElements ? _elements : [];
        _chainHandedOut |= keepChain && _ownsElements;
        var facts = new VerdictFacts
        {
            Host = _host,
            Problems = Problems,
            Presented = _leaf is null ? null : [.. Presented().Select(CertificateSummary.Of)],
            ViaSystem = _viaSystem,
            Anchor = _anchor is null ? null : new AnchorSummary(_anchor.SubjectName, _anchor.Source),
            AnchorsTried = [.. _triedAnchors.Select(a => new AnchorSummary(a.SubjectName, a.Source))],
            AnchorCount = _snapshot?.Anchors.Length ?? 0,
            Sources = _snapshot?.SourcesText ?? string.Empty,
        };
        return new TrustVerdict(facts, chain);
    }

    public void Dispose()
    {
        if (_chainHandedOut || !_ownsElements)
        {
            return;
        }

        // The chain engine made these; the leaf the caller passed in is not among them.
        foreach (var element in _elements)
        {
            element.Dispose();
        }
    }

    /// <summary>What the server sent: its certificate first, then the rest in the order sent.</summary>
    private IEnumerable<X509Certificate2> Presented()
    {
        yield return _leaf!;
        if (_presented is null)
        {
            yield break;
        }

        foreach (var certificate in _presented)
        {
            if (!certificate.RawDataMemory.Span.SequenceEqual(_leaf!.RawDataMemory.Span))
            {
                yield return certificate;
            }
        }
    }

    internal static int Rank(TrustFailure failure) => failure switch
    {
        TrustFailure.MalformedCertificate => 0,

        // Before BadSignature: a signature under an algorithm that is not on the list is not judged at all, as Go and webpki refuse it unverified.
        TrustFailure.WeakCryptography => 1,
        TrustFailure.BadSignature => 2,
        TrustFailure.UntrustedRoot => 3,
        TrustFailure.NotTimeValid => 4,
        TrustFailure.Revocation => 5,
        TrustFailure.BasicConstraints => 6,
        TrustFailure.NameConstraints => 7,
        TrustFailure.WrongUsage => 8,
        TrustFailure.StrictProfile => 9,
        TrustFailure.NameMismatch => 10,
        TrustFailure.PinMismatch => 11,
        _ => 12,
    };
}
