using System.Security.Cryptography.X509Certificates;
using System.Text;
using PrivateCa.Bundle.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>What the engine found for one chain; worded into a <see cref="TrustVerdict"/> only when someone needs the words.</summary>
internal sealed class Evaluation : IDisposable
{
    private readonly TrustSnapshot _snapshot;
    private readonly string _host;
    private readonly X509Certificate2 _leaf;
    private readonly X509Certificate2Collection? _presented;
    private readonly X509Certificate2[] _elements;
    private readonly CertificateEntry? _anchor;
    private readonly IReadOnlyList<CertificateEntry> _triedAnchors;
    private readonly bool _viaSystem;
    private bool _chainHandedOut;

    public Evaluation(TrustSnapshot snapshot, string host, X509Certificate2 leaf, X509Certificate2Collection? presented, List<TrustProblem> problems,
        X509Certificate2[] elements, CertificateEntry? anchor, IReadOnlyList<CertificateEntry> triedAnchors, bool viaSystem)
    {
        _snapshot = snapshot;
        _host = host;
        _leaf = leaf;
        _presented = presented;
        _elements = elements;
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
        new(snapshot, host, null!, null, [problem], [], null, [], viaSystem: false);

    public TrustVerdict ToVerdict(bool keepChain)
    {
        var chain = keepChain ? _elements : [];
        _chainHandedOut |= keepChain;
        if (IsTrusted)
        {
            var by = _viaSystem
                ? "the system's trusted roots"
                : _anchor is null ? "the bundle" : $"anchor '{_anchor.SubjectName}' from {_anchor.Source}";
            return new TrustVerdict(true, TrustFailure.None, $"trusted through {by}", string.Empty, $"PrivateCa trusted the certificate of {_host} through {by}.", chain);
        }

        var first = Problems[0];
        var text = new StringBuilder();
        text.Append("PrivateCa rejected the certificate of ").Append(_host).Append(": ").Append(first.Reason).Append('.').AppendLine();
        if (_leaf is not null)
        {
            text.AppendLine("Presented chain:");
            var index = 0;
            foreach (var certificate in Presented())
            {
                text.Append("  [").Append(index++).Append("] ").AppendLine(CertificateText.Describe(certificate));
            }

            text.Append("Anchors tried: ");
            if (_viaSystem)
            {
                text.Append("the system's trusted roots");
            }
            else if (_triedAnchors.Count == 0)
            {
                text.Append("none of the ").Append(Anchors(_snapshot.Anchors.Length)).Append(" loaded from ").Append(_snapshot.SourcesText).Append(" has the name of an issuer in this chain");
            }
            else
            {
                text.AppendJoin(", ", _triedAnchors.Select(a => $"'{a.SubjectName}' ({a.Source})"))
                    .Append(", of the ").Append(Anchors(_snapshot.Anchors.Length)).Append(" loaded from ").Append(_snapshot.SourcesText);
            }

            text.Append('.').AppendLine();
        }

        if (Problems.Count > 1)
        {
            text.Append("Also: ").AppendJoin("; ", Problems.Skip(1).Select(p => p.Reason)).Append('.').AppendLine();
        }

        text.Append("Fix: ").Append(first.Fix);
        return new TrustVerdict(false, first.Failure, first.Reason, first.Fix, text.ToString(), chain);
    }

    public void Dispose()
    {
        if (_chainHandedOut)
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
        yield return _leaf;
        if (_presented is null)
        {
            yield break;
        }

        foreach (var certificate in _presented)
        {
            if (!certificate.RawDataMemory.Span.SequenceEqual(_leaf.RawDataMemory.Span))
            {
                yield return certificate;
            }
        }
    }

    private static string Anchors(int count) => count == 1 ? "1 anchor" : $"{count} anchors";

    internal static int Rank(TrustFailure failure) => failure switch
    {
        TrustFailure.BadSignature => 0,
        TrustFailure.UntrustedRoot => 1,
        TrustFailure.NotTimeValid => 2,
        TrustFailure.Revocation => 3,
        TrustFailure.BasicConstraints => 4,
        TrustFailure.NameConstraints => 5,
        TrustFailure.WrongUsage => 6,
        TrustFailure.StrictProfile => 7,
        TrustFailure.NameMismatch => 8,
        TrustFailure.PinMismatch => 9,
        _ => 10,
    };
}
