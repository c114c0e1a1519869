using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal.Names;

/// <summary>
/// Name constraints evaluated by PrivateCa (RFC 5280 §4.2.1.10 and §6.1, with the WebPKI reading of dNSName): every
/// constraining CA of the path, trust anchor included, is applied to the subject and every subjectAltName of each
/// certificate below it, skipping self-issued intermediates as §6.1.3 does. Excluded subtrees are checked before
/// permitted ones. The subject common name is never read as a host name. Constraints of a form PrivateCa does not
/// evaluate (otherName, x400Address, ediPartyName, registeredID), or that are malformed, reject the path.
/// </summary>
internal static class NameConstraintEvaluator
{
    /// <summary>The most name-against-subtree comparisons one path may cost, as Go's crypto/x509 bounds it
    /// (maxConstraintComparisons): past it the path is rejected, whatever the rest would say.</summary>
    public const int MaxComparisons = 250_000;

    /// <summary>How many subtrees a reason lists before "and N more".</summary>
    private const int MaxSubtreesListed = 10;

    /// <summary>The violations in the path, leaf first, at most <paramref name="maxViolations"/> of them (evaluation stops
    /// there); empty when no certificate has name constraints.</summary>
    /// <param name="chain">The names of each certificate, leaf first.</param>
    /// <param name="maxViolations">Evaluation stops after this many.</param>
    /// <param name="additive">Under <see cref="ValidationProfile.Platform"/>, where the platform engine's own evaluation counts
    /// too: constraints it alone can judge (forms PrivateCa does not evaluate, subtrees or extensions that do not parse) are
    /// left to it instead of rejecting the path, so PrivateCa only adds to its verdict.</param>
    public static List<NameConstraintViolation> Evaluate(IReadOnlyList<CertificateNames> chain, int maxViolations = int.MaxValue, bool additive = false)
    {
        var violations = new List<NameConstraintViolation>();
        var budget = MaxComparisons;
        for (var k = 1; k < chain.Count && violations.Count < maxViolations; k++)
        {
            var authority = chain[k];
            if (!authority.HasConstraints)
            {
                continue;
            }

            if (authority.Constraints is not { } constraints)
            {
                if (!additive)
                {
                    violations.Add(new(k, k, $"the name constraints of '{authority.Display}' cannot be evaluated: {authority.ConstraintsProblem}"));
                }

                continue;
            }

            if (additive)
            {
                constraints = constraints.Where(subtree => SubtreeProblem(subtree) is null);
            }
            else if (constraints.Permitted.Concat(constraints.Excluded).Select(s => (Subtree: s, Problem: SubtreeProblem(s))).FirstOrDefault(p => p.Problem is not null) is { Problem: { } problem } bad)
            {
                violations.Add(new(k, k, $"the name constraints of '{authority.Display}' cannot be evaluated: the subtree {bad.Subtree}: {problem}"));
                continue;
            }

            var subtrees = constraints.Permitted.Count + constraints.Excluded.Count;
            for (var j = 0; j < k && violations.Count < maxViolations; j++)
            {
                if (j > 0 && chain[j].SelfIssued)
                {
                    continue;
                }

                // Each name of the certificate (subjectAltName entries, the subject, and each subject attribute — emailAddress
                // values, RDNs of a directoryName comparison) costs a comparison with every subtree.
                budget -= (chain[j].AltNames.Count + 1 + DirectoryName.AttributeCount(chain[j].Subject)) * Math.Max(subtrees, 1);
                if (budget < 0)
                {
                    violations.Add(new(j, k, $"checking the names of '{chain[j].Display}' against the {subtrees} name-constraint subtrees of '{authority.Display}' would take more than {MaxComparisons:N0} comparisons for this path, so PrivateCa stops and rejects it (as Go does)"));
                    return violations;
                }

                foreach (var reason in Check(chain[j], constraints))
                {
                    violations.Add(new(j, k, $"{reason} of '{authority.Display}'"));
                    if (violations.Count >= maxViolations)
                    {
                        break;
                    }
                }
            }
        }

        return violations;
    }

    private static IEnumerable<string> Check(CertificateNames certificate, NameConstraintsValue constraints)
    {
        if (certificate.AltNamesMalformed)
        {
            yield return $"the subjectAltName in '{certificate.Display}' does not parse, so it cannot be checked against the name constraints";
            yield break;
        }

        // An empty subject (an empty SEQUENCE, two octets) is not checked, as RFC 5280 says.
        if (certificate.Subject.Length > 2)
        {
            var subject = new GeneralName(GeneralNameType.DirectoryName, string.Empty, certificate.Subject);
            if (Judge(subject, constraints) is { } verdict)
            {
                yield return $"the subject {subject} {verdict}";
            }

            if (constraints.Constrains(GeneralNameType.Rfc822Name))
            {
                if (DirectoryName.Ia5Values(certificate.Subject, Oids.EmailAddress) is not { } emails)
                {
                    yield return $"the subject of '{certificate.Display}' cannot be read for its emailAddress values, so it cannot be checked against the rfc822Name constraints";
                    yield break;
                }

                foreach (var email in emails)
                {
                    var name = new GeneralName(GeneralNameType.Rfc822Name, email, default);
                    if (Judge(name, constraints) is { } emailVerdict)
                    {
                        yield return $"the subject's emailAddress {name} in '{certificate.Display}' {emailVerdict}";
                    }
                }
            }
        }

        foreach (var name in certificate.AltNames)
        {
            if (Judge(name, constraints) is { } verdict)
            {
                yield return $"the name {name} in '{certificate.Display}' {verdict}";
            }
        }
    }

    /// <summary>Null when the name is allowed; otherwise how it breaks the constraints (excluded first).</summary>
    private static string? Judge(GeneralName name, NameConstraintsValue constraints)
    {
        foreach (var excluded in constraints.Excluded)
        {
            if (excluded.Type == name.Type)
            {
                switch (InSubtree(name, excluded, forExclusion: true))
                {
                    case null:
                        return $"cannot be checked against the excluded subtree {excluded}";
                    case true:
                        return $"is in the excluded subtree {excluded}";
                    default:
                        break;
                }
            }
        }

        var anyPermitted = false;
        foreach (var permitted in constraints.Permitted)
        {
            if (permitted.Type != name.Type)
            {
                continue;
            }

            anyPermitted = true;
            switch (InSubtree(name, permitted, forExclusion: false))
            {
                case null:
                    return $"cannot be checked against the permitted subtree {permitted}";
                case true:
                    return null;
                default:
                    break;
            }
        }

        return anyPermitted ? $"is outside the permitted subtrees ({Listed(constraints.Permitted.Where(p => p.Type == name.Type))})" : null;
    }

    /// <summary>At most ten subtrees, then how many more: a CA may carry thousands, and the reason goes into every message.</summary>
    private static string Listed(IEnumerable<GeneralName> subtrees)
    {
        var all = subtrees.ToList();
        var shown = string.Join(", ", all.Take(MaxSubtreesListed));
        return all.Count <= MaxSubtreesListed ? shown : $"{shown} and {all.Count - MaxSubtreesListed} more";
    }

    /// <summary>Whether the name lies in the subtree; null when the name is malformed for its form.</summary>
    private static bool? InSubtree(GeneralName name, GeneralName subtree, bool forExclusion) => name.Type switch
    {
        GeneralNameType.DnsName => DnsName.IsComparable(name.Text) ? DnsName.InSubtree(name.Text, subtree.Text, forExclusion) : null,
        GeneralNameType.IpAddress => IpRange.InSubtreeAnyForm(name.Octets.Span, subtree.Octets.Span, forExclusion),
        GeneralNameType.Rfc822Name => MailboxInSubtree(name.Text, subtree.Text),
        GeneralNameType.Uri => UriInSubtree(name.Text, subtree.Text),
        GeneralNameType.DirectoryName => DirectoryName.InSubtree(name.Octets, subtree.Octets),

        // Unreachable: constraints of other forms are refused before any name is judged.
        _ => null,
    };

    private static bool? MailboxInSubtree(string mailbox, string constraint)
    {
        var at = mailbox.LastIndexOf('@');
        if (at <= 0 || at == mailbox.Length - 1)
        {
            return null;
        }

        var host = mailbox[(at + 1)..];
        var constraintAt = constraint.LastIndexOf('@');
        if (constraintAt >= 0)
        {
            // A whole mailbox: the local part as written, the host in any case.
            return string.Equals(mailbox[..at], constraint[..constraintAt], StringComparison.Ordinal)
                && string.Equals(host, constraint[(constraintAt + 1)..], StringComparison.OrdinalIgnoreCase);
        }

        return constraint.StartsWith('.')
            ? host.Length > constraint.Length && host.EndsWith(constraint, StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, constraint, StringComparison.OrdinalIgnoreCase);
    }

    private static bool? UriInSubtree(string uri, string constraint)
    {
        // RFC 5280: the constraint applies to the host; a URI without an authority or with an address for a host cannot be judged.
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.HostNameType != UriHostNameType.Dns || parsed.Host.Length == 0)
        {
            return null;
        }

        var host = parsed.Host;
        return constraint.StartsWith('.')
            ? host.Length > constraint.Length && host.EndsWith(constraint, StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, constraint, StringComparison.OrdinalIgnoreCase);
    }

    private static string? SubtreeProblem(GeneralName subtree) => subtree.Type switch
    {
        GeneralNameType.DnsName => DnsName.ConstraintProblem(subtree.Text),
        GeneralNameType.IpAddress => IpRange.ConstraintProblem(subtree.Octets.Span),
        GeneralNameType.Rfc822Name => subtree.Text.Length == 0 || subtree.Text.StartsWith('@') || subtree.Text.EndsWith('@') ? "it is empty or has an empty part" : null,
        GeneralNameType.Uri => subtree.Text.Length == 0 ? "it is empty" : DnsName.ConstraintProblem(subtree.Text),
        GeneralNameType.DirectoryName => DirectoryName.InSubtree(subtree.Octets, subtree.Octets) is null ? "it is not a well-formed Name" : null,
        _ => "PrivateCa does not evaluate constraints of this form, and RFC 5280 requires a verifier to process or reject them",
    };
}
