using System.Security.Cryptography.X509Certificates;
using PrivateCa.Trust.Internal.Names;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The checks of <see cref="ValidationProfile.Strict"/>: what WebPKI validators (rustls-webpki, pyca/cryptography,
/// Chromium) and RFC 5280 require and OpenSSL and .NET skip. They read the DER the loader's parser already walks.
/// Each finding names the rule and the certificate.
/// </summary>
internal static class StrictRules
{
    /// <summary>Findings kept per certificate (and name-constraint violations per path): a hostile certificate with thousands
    /// of bad names would otherwise make thousands of problems, and as long a message, at every rejected handshake.</summary>
    private const int MaxFindingsPerCertificate = 10;

    /// <summary>The role a certificate plays in a chain: the server's own, a CA below the anchor, or the anchor.</summary>
    public enum Role
    {
        Leaf,
        Intermediate,
        Anchor,
    }

    /// <summary>Every rule the built chain breaks, leaf first, then the name constraints of the path.</summary>
    /// <param name="chain">The built chain, leaf first.</param>
    /// <param name="facts">Each certificate of <paramref name="chain"/>, already parsed (once, by the engine).</param>
    public static List<TrustProblem> Check(IReadOnlyList<X509Certificate2> chain, IReadOnlyList<CertificateFacts> facts)
    {
        var problems = new List<TrustProblem>();
        var names = new CertificateNames[chain.Count];
        for (var i = 0; i < chain.Count; i++)
        {
            var role = i == 0 ? Role.Leaf : i == chain.Count - 1 ? Role.Anchor : Role.Intermediate;
            names[i] = NamesOf(facts[i], NameText.Name(chain[i].Subject));
            var found = 0;
            foreach (var (rule, finding) in Findings(facts[i], role, chain.Count == 1, names[i]))
            {
                if (++found <= MaxFindingsPerCertificate)
                {
                    problems.Add(Problem(rule, names[i].Display, finding));
                }
            }

            if (found > MaxFindingsPerCertificate)
            {
                problems.Add(new(TrustFailure.StrictProfile, $"'{names[i].Display}' breaks {found - MaxFindingsPerCertificate} more Strict profile findings",
                    $"Reissue the certificate to meet the Strict rules ('privateca verify --profile Strict' lists what it breaks)."));
            }
        }

        StrictNameRules.AddNameConstraintProblems(names, chain, problems, MaxFindingsPerCertificate);
        return problems;
    }


    /// <summary>The names and name constraints of a certificate, read once from its extensions.</summary>
    public static CertificateNames NamesOf(CertificateFacts facts, string display)
    {
        ReadOnlyMemory<byte>? san = null, constraints = null;
        foreach (var extension in facts.Extensions)
        {
            if (extension.Oid == Oids.SubjectAltName)
            {
                san ??= extension.Value;
            }
            else if (extension.Oid == Oids.NameConstraints)
            {
                constraints ??= extension.Value;
            }
        }

        return CertificateNames.Read(display, facts.Subject, facts.IsSelfIssued, san, constraints);
    }

    /// <summary>The rules one certificate breaks in the given role: (rule id, what is wrong).</summary>
    public static IEnumerable<(string Rule, string Finding)> Findings(CertificateFacts facts, Role role, bool selfSignedLeaf = false, CertificateNames? names = null)
    {
        names ??= NamesOf(facts, string.Empty);
        var extensions = facts.Extensions;
        CertificateExtension? Find(string oid) => extensions.Where(e => e.Oid == oid).Select(e => (CertificateExtension?)e).FirstOrDefault();

        if (facts.Version != 3)
        {
            yield return ("version-3", $"it is an X.509 version {facts.Version} certificate; only version 3 is accepted");
        }

        var serial = facts.SerialNumber.Span;
        if (serial.Length > 20)
        {
            yield return ("serial-number", $"its serial number is {serial.Length} octets long; at most 20 are allowed");
        }
        else if (serial.Length == 0 || (serial[0] & 0x80) != 0 || !serial.ContainsAnyExcept((byte)0))
        {
            yield return ("serial-number", "its serial number is zero or negative; it must be positive");
        }

        var isAnchor = role == Role.Anchor || selfSignedLeaf;
        if (!isAnchor && AlgorithmPolicy.Signature(facts) is { } signature)
        {
            yield return ("signature-algorithm", $"it is signed with {signature.Description}");
        }

        if (AlgorithmPolicy.Key(facts) is { } key)
        {
            yield return ("key-algorithm", $"it has {key.Description}");
        }

        var subjectEmpty = facts.Subject.Length <= 2;
        var san = Find(Oids.SubjectAltName);
        if (san is { } present && present.Critical && !subjectEmpty)
        {
            yield return ("san-critical", "its subjectAltName is critical although its subject is not empty");
        }

        if (subjectEmpty && san is not { Critical: true })
        {
            yield return ("san-critical", "its subject is empty, so a critical subjectAltName is required");
        }

        if (Find(Oids.AuthorityInfoAccess) is { } aia && !ExtensionShape.WellFormedAccessDescriptions(aia.Value))
        {
            yield return ("aia-well-formed", "its authorityInformationAccess is not a non-empty list of access descriptions with absolute URIs");
        }

        if (Find(Oids.NameConstraints) is { } constraints)
        {
            if (!constraints.Critical)
            {
                yield return ("name-constraints", "its name constraints are not marked critical (RFC 5280 requires it)");
            }

            if (!facts.IsCertificateAuthority)
            {
                yield return ("name-constraints", "it has name constraints but is not a CA");
            }
            else if (!ExtensionShape.NonEmptySubtrees(constraints.Value))
            {
                yield return ("name-constraints", "its name constraints have no permitted or excluded subtrees, or an empty one");
            }
        }

        if (Find(Oids.AuthorityKeyIdentifier) is not null && facts.AuthorityKeyIdentifier.IsEmpty)
        {
            yield return ("key-identifiers", "its authorityKeyIdentifier has no keyIdentifier (issuer and serial alone do not identify the key)");
        }
        else if (!isAnchor && facts.AuthorityKeyIdentifier.IsEmpty)
        {
            yield return ("key-identifiers", "it has no authorityKeyIdentifier with a key identifier (RFC 5280 requires one in every certificate but a self-signed one)");
        }

        if (role == Role.Leaf)
        {
            if (san is null)
            {
                yield return ("leaf-san-required", "it has no subjectAltName; a server certificate's names must be there, not in the common name");
            }

            if (Find(Oids.ExtendedKeyUsage) is not { } eku)
            {
                yield return ("leaf-eku-server-auth", "it has no extendedKeyUsage; serverAuth is required");
            }
            else
            {
                var usages = ExtensionShape.ReadOids(eku.Value);
                if (eku.Critical)
                {
                    yield return ("leaf-eku-server-auth", "its extendedKeyUsage is critical");
                }

                if (usages.Contains(Oids.AnyExtendedKeyUsage))
                {
                    yield return ("leaf-eku-server-auth", usages.Contains(Oids.ServerAuth)
                        ? "its extendedKeyUsage has anyExtendedKeyUsage beside serverAuth; a server certificate names its usages"
                        : "its extendedKeyUsage is anyExtendedKeyUsage alone; serverAuth is required");
                }
                else if (!usages.Contains(Oids.ServerAuth))
                {
                    yield return ("leaf-eku-server-auth", "its extendedKeyUsage lacks serverAuth");
                }
            }

            if (facts.IsCertificateAuthority || facts.HasKeyCertSign)
            {
                yield return ("leaf-not-ca", facts.IsCertificateAuthority ? "it is a CA (basicConstraints CA:true) but serves TLS" : "it may sign certificates (keyUsage keyCertSign) but serves TLS");
            }
        }
        else
        {
            if (facts.BasicConstraintsCa != true || !facts.BasicConstraintsCritical)
            {
                yield return ("ca-basic-constraints", facts.BasicConstraintsCa is null
                    ? "it is used as a CA but has no basicConstraints"
                    : facts.BasicConstraintsCa == false ? "it is used as a CA but its basicConstraints say CA:false" : "its basicConstraints is not marked critical (Python 3.13's strict mode rejects this)");
            }

            if (facts.SubjectKeyIdentifier.IsEmpty)
            {
                yield return ("key-identifiers", "it is a CA without a subjectKeyIdentifier (RFC 5280 requires one in every CA certificate)");
            }

            if (role == Role.Anchor && Find(Oids.ExtendedKeyUsage) is not null)
            {
                yield return ("anchor-eku", "it is a trust anchor with an extendedKeyUsage; a root must not restrict usages, its issuing CAs and servers do");
            }
        }

        foreach (var finding in StrictNameRules.Findings(names))
        {
            yield return finding;
        }
    }

    private static TrustProblem Problem(string rule, string subject, string finding) =>
        new(TrustFailure.StrictProfile, $"Strict profile rule '{rule}' is broken by '{subject}': {finding}",
            $"Reissue the certificate to meet the rule, or use ValidationProfile.Platform if this CA cannot be changed (OpenSSL and .NET accept it; Python 3.13, rustls and browsers may not).");
}
