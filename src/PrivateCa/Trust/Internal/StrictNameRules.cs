using System.Security.Cryptography.X509Certificates;
using PrivateCa.Trust.Internal.Names;

using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The Strict rules on names: every dNSName and iPAddress of a subjectAltName well formed, wildcards placed as WebPKI
/// allows and never directly under a public suffix, and the name constraints of the path evaluated by PrivateCa
/// (<see cref="NameConstraintEvaluator"/>) instead of by the platform.
/// </summary>
internal static class StrictNameRules
{
    /// <summary>The subjectAltName rules one certificate breaks: (rule id, what is wrong).</summary>
    public static IEnumerable<(string Rule, string Finding)> Findings(CertificateNames names)
    {
        if (names.AltNamesMalformed)
        {
            yield return ("san-syntax", "its subjectAltName does not parse as a list of names");
            yield break;
        }

        foreach (var name in names.AltNames)
        {
            if (name.Type == GeneralNameType.IpAddress && name.Octets.Length is not (4 or 16))
            {
                yield return ("san-syntax", $"its subjectAltName holds an iPAddress of {name.Octets.Length} octets; an address is 4 (IPv4) or 16 (IPv6)");
            }

            if (name.Type != GeneralNameType.DnsName)
            {
                continue;
            }

            if (DnsName.SyntaxProblem(name.Text) is { } problem)
            {
                var wildcard = name.Text.Contains('*', StringComparison.Ordinal);
                yield return (wildcard ? "wildcard" : "san-syntax", $"its subjectAltName '{name.Text}' is not a valid DNS name: {problem}");
            }
            else if (name.Text.StartsWith("*.", StringComparison.Ordinal) && PublicSuffixList.Instance.IsPublicSuffix(name.Text[2..]))
            {
                yield return ("wildcard", $"its subjectAltName '{name.Text}' puts a wildcard directly under the public suffix '{name.Text[2..]}'");
            }
        }
    }

    /// <summary>Adds the name-constraint violations of the path, at most <paramref name="max"/> and then one line saying there
    /// are more: evaluation stops one past the cap, so the rest of a hostile path is never compared or worded.</summary>
    /// <param name="names">The names of each certificate of the chain, leaf first.</param>
    /// <param name="chain">The chain.</param>
    /// <param name="problems">Where the problems go.</param>
    /// <param name="max">How many violations are listed.</param>
    /// <param name="additive">Platform: what only the platform engine can judge is left to it (see <see cref="NameConstraintEvaluator.Evaluate"/>).</param>
    public static void AddNameConstraintProblems(IReadOnlyList<CertificateNames> names, IReadOnlyList<X509Certificate2> chain, List<TrustProblem> problems, int max, bool additive = false)
    {
        var count = 0;
        foreach (var problem in NameConstraintProblems(names, chain, max + 1, additive))
        {
            if (++count <= max)
            {
                problems.Add(problem);
            }
        }

        if (count > max)
        {
            problems.Add(new(TrustFailure.NameConstraints, $"more names break the name constraints of the path (PrivateCa stops after {max})",
                $"Issue the certificates only with names inside the permitted and outside the excluded subtrees of their CAs."));
        }
    }

    /// <summary>Name constraints of the path, evaluated here; the platform's own name-constraint status is only advisory under Strict.</summary>
    /// <param name="names">The names of each certificate of the chain, leaf first.</param>
    /// <param name="chain">The chain.</param>
    /// <param name="maxProblems">Evaluation stops after this many violations.</param>
    /// <param name="additive">Platform: leave to the platform engine what only it can judge.</param>
    private static IEnumerable<TrustProblem> NameConstraintProblems(IReadOnlyList<CertificateNames> names, IReadOnlyList<X509Certificate2> chain, int maxProblems, bool additive)
    {
        foreach (var violation in NameConstraintEvaluator.Evaluate(names, maxProblems, additive))
        {
            var authority = NameText.Name(chain[violation.Authority].Subject);
            // The reason holds names from certificates: passed as an argument, the renderer escapes it whole.
            yield return new TrustProblem(TrustFailure.NameConstraints, $"{violation.Reason}",
                violation.Certificate == violation.Authority
                    ? (FormattableString)$"Reissue '{authority}' with name constraints PrivateCa can evaluate: well-formed dNSName, iPAddress, directoryName, rfc822Name or URI subtrees."
                    : $"Issue '{NameText.Name(chain[violation.Certificate].Subject)}' only with names inside the permitted and outside the excluded subtrees of '{authority}', or change those constraints.");
        }
    }
}
