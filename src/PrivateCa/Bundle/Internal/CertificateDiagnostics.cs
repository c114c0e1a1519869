using PrivateCa.Trust.Internal;
using PrivateCa.X509.Internal;

namespace PrivateCa.Bundle.Internal;

/// <summary>The per-certificate findings of a load: validity, CA-ness, key and signature strength, duplicate subjects.</summary>
internal static class CertificateDiagnostics
{
    /// <param name="entry">The certificate.</param>
    /// <param name="now">The time of the load.</param>
    /// <param name="diagnostics">Where findings go.</param>
    /// <param name="warningsOnly">Only findings of severity Warning or above: the start-up log needs no more, and this skips
    /// the Strict-rule walk of every CA (its findings are Information) before the first handshake.</param>
    public static void Inspect(CertificateEntry entry, DateTimeOffset now, List<BundleDiagnostic> diagnostics, bool warningsOnly = false)
    {
        var facts = entry.Facts;
        if (facts.NotAfter < now)
        {
            Add(diagnostics, entry, BundleDiagnosticCode.Expired, BundleDiagnosticSeverity.Warning,
                $"expired at {facts.NotAfter:u}; it cannot anchor any chain. Remove it, or replace it with the CA's current certificate.");
        }
        else if (facts.NotBefore > now)
        {
            Add(diagnostics, entry, BundleDiagnosticCode.NotYetValid, BundleDiagnosticSeverity.Warning,
                $"not valid before {facts.NotBefore:u}; chains through it fail until then (or the clock here is wrong).");
        }

        if (!facts.IsCertificateAuthority)
        {
            Add(diagnostics, entry, BundleDiagnosticCode.NotCertificateAuthority, BundleDiagnosticSeverity.Warning,
                $"is not a CA (basicConstraints {(facts.BasicConstraintsCa is null ? "absent" : "CA:false")}): it can vouch only for itself, never for a certificate it signed. Put the issuing CA's certificate in the bundle instead.");
        }
        else
        {
            if (!facts.BasicConstraintsCritical)
            {
                Add(diagnostics, entry, BundleDiagnosticCode.BasicConstraintsNotCritical, BundleDiagnosticSeverity.Warning,
                    "is a CA whose basicConstraints is not marked critical; Python 3.13's strict mode (and RFC 5280) reject it. Reissue the CA with a critical basicConstraints.");
            }

            if (!facts.HasKeyCertSign)
            {
                Add(diagnostics, entry, BundleDiagnosticCode.NoKeyCertSign, BundleDiagnosticSeverity.Warning,
                    facts.KeyUsage is null
                        ? "is a CA without a keyUsage extension; strict validators (OpenSSL's X509_STRICT, Python 3.13) reject it. Reissue it with keyUsage keyCertSign, cRLSign."
                        : "is a CA whose keyUsage lacks keyCertSign, so it may not sign certificates. Reissue it with keyUsage keyCertSign.");
            }
        }

        if (!warningsOnly && (facts.IsCertificateAuthority || facts.IsSelfIssued))
        {
            var role = facts.IsSelfIssued ? StrictRules.Role.Anchor : StrictRules.Role.Intermediate;
            foreach (var (rule, finding) in StrictRules.Findings(facts, role))
            {
                Add(diagnostics, entry, BundleDiagnosticCode.StrictProfileRule, BundleDiagnosticSeverity.Information,
                    $"would be rejected by strict validators (Python 3.13 strict mode, rustls, ValidationProfile.Strict): {rule}: {finding}", rule);
            }
        }

        if (AlgorithmPolicy.Key(facts) is { } key)
        {
            var code = facts.PublicKeyAlgorithm == Oids.Rsa && facts.RsaKeySize < AlgorithmPolicy.MinimumRsaBits ? BundleDiagnosticCode.WeakRsaKey : BundleDiagnosticCode.WeakPublicKey;
            Add(diagnostics, entry, code, BundleDiagnosticSeverity.Warning,
                $"has {key.Description}, which is not on PrivateCa's list of accepted keys ({AlgorithmPolicy.AcceptedKeys}): no chain through it is trusted. Reissue it with an RSA key of at least 2048 bits or an ECDSA P-256 key.");
        }

        if (AlgorithmPolicy.Signature(facts) is { } weak && !(warningsOnly && facts.IsSelfIssued))
        {
            // A self-signed anchor's own signature is never relied on; anything else's is.
            var severity = facts.IsSelfIssued ? BundleDiagnosticSeverity.Information : BundleDiagnosticSeverity.Warning;
            Add(diagnostics, entry, BundleDiagnosticCode.WeakSignatureAlgorithm, severity,
                facts.IsSelfIssued
                    ? $"is signed with {weak.Description}; as a self-signed root its own signature is not relied on, but it shows an old CA."
                    : $"is signed with {weak.Description}, which is not on PrivateCa's list of accepted signature algorithms ({AlgorithmPolicy.AcceptedSignatures}). Reissue it with SHA-256 or better.");
        }
    }

    public static void FindDuplicateSubjects(IReadOnlyList<CertificateEntry> entries, List<BundleDiagnostic> diagnostics)
    {
        var roots = new Dictionary<string, CertificateEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!entry.IsSelfIssuedCa)
            {
                continue;
            }

            var key = Convert.ToBase64String(entry.Facts.Subject.Span);
            if (roots.TryGetValue(key, out var first))
            {
                Add(diagnostics, entry, BundleDiagnosticCode.DuplicateSubject, BundleDiagnosticSeverity.Warning,
                    $"is a second root with the subject of the root from {first.Source}{(first.Line is int l ? $" line {l}" : string.Empty)} (SHA-256 {first.Sha256Hex[..16]}…) but another key or certificate; both are trusted. Remove the one that is no longer in use.");
            }
            else
            {
                roots.Add(key, entry);
            }
        }
    }

    private static void Add(List<BundleDiagnostic> diagnostics, CertificateEntry entry, BundleDiagnosticCode code, BundleDiagnosticSeverity severity, string finding, string? rule = null) =>
        diagnostics.Add(new BundleDiagnostic(code, severity, entry.Source, entry.Line, entry.SubjectName, entry.Sha256Hex,
            $"{entry.Source}{(entry.Line is int line ? $" line {line}" : string.Empty)}: '{entry.SubjectText}' (SHA-256 {entry.Sha256Hex[..16]}…) {finding}", rule));
}
