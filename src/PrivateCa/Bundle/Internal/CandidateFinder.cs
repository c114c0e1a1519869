using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.X509.Internal;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// Bundle certificates that can take part in a chain, found through <see cref="BundleIndex"/> by issuer name and
/// authority key identifier, walking up through the presented intermediates and the bundle's own — as Go's
/// <c>findPotentialParents</c>. The chain engine is then handed these few instead of every anchor.
/// </summary>
internal static class CandidateFinder
{
    private const int MaxSteps = 16;

    public static Candidates Find(BundleIndex index, X509Certificate2 leaf, X509Certificate2Collection? presented)
    {
        var anchors = new List<CertificateEntry>(2);
        var intermediates = new List<CertificateEntry>(0);
        var presentedFacts = new List<CertificateFacts>();
        if (presented is not null)
        {
            foreach (var certificate in presented)
            {
                if (TryParse(certificate) is { } facts)
                {
                    presentedFacts.Add(facts);
                }
            }
        }

        var pending = new Stack<CertificateFacts>();
        if (TryParse(leaf) is { } leafFacts)
        {
            pending.Push(leafFacts);
        }

        var steps = 0;
        while (pending.Count > 0 && steps++ < MaxSteps)
        {
            var current = pending.Pop();
            if (current.IsSelfIssued)
            {
                foreach (var entry in index.BySubject(current.Subject.Span))
                {
                    // A self-signed entry that is not a CA vouches only for itself: the byte-identical server certificate.
                    if (entry.Facts.IsCertificateAuthority || entry.Der.AsSpan().SequenceEqual(leaf.RawDataMemory.Span))
                    {
                        AddOnce(anchors, entry);
                    }
                }

                continue;
            }

            foreach (var entry in index.BySubject(current.Issuer.Span).Concat(index.ByKeyIdentifier(current.AuthorityKeyIdentifier.Span)))
            {
                if (!entry.Facts.IsCertificateAuthority)
                {
                    // Never an issuer, whatever its name: a pinned appliance certificate in the bundle stays just that.
                    continue;
                }

                if (entry.Facts.IsSelfIssued)
                {
                    AddOnce(anchors, entry);
                }
                else if (AddOnce(intermediates, entry))
                {
                    pending.Push(entry.Facts);
                }
            }

            foreach (var facts in presentedFacts)
            {
                if (facts != current && facts.Subject.Span.SequenceEqual(current.Issuer.Span))
                {
                    pending.Push(facts);
                }
            }
        }

        return new Candidates(anchors, intermediates);
    }

    private static CertificateFacts? TryParse(X509Certificate2 certificate)
    {
        try
        {
            return CertificateParser.Parse(certificate.RawDataMemory).Facts;
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            // The evaluation says what is wrong with it.
            return null;
        }
    }

    private static bool AddOnce(List<CertificateEntry> list, CertificateEntry entry)
    {
        if (list.Contains(entry))
        {
            return false;
        }

        list.Add(entry);
        return true;
    }
}
