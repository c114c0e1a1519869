namespace PrivateCa.Tests.Differential;

/// <summary>
/// Every difference between PrivateCa and an outside verifier that the differential test accepts, with its reason. A
/// difference not listed here fails the test; an entry no case needs any more fails it too, so the table stays true.
/// docs/security-model.md carries the same table (a test checks that it names every kind listed here).
/// </summary>
internal static class ExplainedDisagreements
{
    private const bool Trusts = true;
    private const bool Rejects = false;

    public static IReadOnlyList<Disagreement> All { get; } =
    [
        // PrivateCa rejects what a judge accepts: the allowlist and the name rules deny by default.
        .. Entries("sig-ecdsa-sha256-with-null", "Platform,Strict", "openssl,go", Rejects,
            "RFC 5758 §3.2: an ECDSA signature's AlgorithmIdentifier MUST omit the parameters; OpenSSL and Go ignore them, PrivateCa's (OID, parameters) list and pyca do not"),
        .. Entries("key-int-rsa1024", "Platform,Strict", "go", Rejects, "Go 1.19 has no minimum RSA key size; OpenSSL at auth level 2, pyca and PrivateCa require 2048 bits"),
        .. Entries("key-root-rsa1024", "Platform,Strict", "go", Rejects, "Go 1.19 has no minimum RSA key size; OpenSSL at auth level 2, pyca and PrivateCa require 2048 bits"),
        .. Entries("key-leaf-rsa1024", "Platform,Strict", "go,pyca", Rejects,
            "the leaf's key signs no certificate, so Go and pyca do not judge its size; PrivateCa, like OpenSSL's auth level, requires 2048 bits of every key the handshake relies on"),
        .. Entries("key-int-ec-p224", "Platform,Strict", "openssl,go", Rejects, "P-224 gives 112-bit security, which OpenSSL's auth level 2 and Go allow; PrivateCa's list, like pyca's and webpki's, has P-256, P-384 and P-521 only"),
        .. Entries("key-int-rsa-under-pss-oid", "Platform,Strict", "openssl", Rejects, "an RSA key restricted to PSS (SubjectPublicKeyInfo OID 1.2.840.113549.1.1.10) is read by OpenSSL only; Go, pyca and PrivateCa accept RSA keys as rsaEncryption"),
        .. Entries("key-int-rsa-under-x500-oid", "Platform,Strict", "openssl", Rejects, "X.500's rsa OID (2.5.8.1.1) is an old spelling only OpenSSL still reads; Go, pyca and PrivateCa accept RSA keys as rsaEncryption"),
        .. Entries("name-empty-label", "Platform,Strict", "openssl,pyca,go", Rejects,
            "RFC 5280 §4.2.1.6: a dNSName is in preferred name syntax; the others skip a malformed entry and match another, PrivateCa refuses a certificate with any malformed dNSName so no spelling can slip past a constraint"),
        .. Entries("name-no-san-cn-only", "Platform,Strict", "openssl", Rejects, "OpenSSL falls back to the common name when a certificate has no dNSName; RFC 6125 §6.4.4, Go, pyca and PrivateCa (unless AllowCommonNameFallback) do not"),
        .. Entries("name-uri-only", "Platform,Strict", "openssl", Rejects, "OpenSSL falls back to the common name when the subjectAltName has no dNSName; RFC 6125 §6.4.4, Go, pyca and PrivateCa do not"),
        .. Entries("name-email-only", "Platform,Strict", "openssl", Rejects, "OpenSSL falls back to the common name when the subjectAltName has no dNSName; RFC 6125 §6.4.4, Go, pyca and PrivateCa do not"),
        .. Entries("name-wildcard-partial", "Platform,Strict", "openssl", Rejects, "OpenSSL matches partial wildcards ('a*.corp.example'); RFC 6125 §6.4.3 allows them only as an option, and browsers, Go, pyca and PrivateCa do not"),
        .. Entries("name-wildcard-over-tld", "Platform,Strict", "pyca,go", Rejects,
            "a wildcard over a single label ('*.internal') covers a whole top-level name; OpenSSL's matcher, which the TLS handshake uses, refuses it, and PrivateCa agrees with the handshake"),
        .. Entries("nc-excluded-trailing-dot-san", "Platform,Strict", "openssl", Rejects,
            "OpenSSL compares 'secret.corp.example.' with the excluded 'secret.corp.example' as a different string; RFC 5280 §4.2.1.6 forbids the trailing dot, and pyca, Go and PrivateCa refuse the certificate"),
        .. Entries("nc-excluded-dns-wildcard-leaf", "Platform,Strict", "openssl,go", Rejects,
            "'*.corp.example' covers the excluded 'secret.corp.example'; OpenSSL and Go compare the wildcard as a string and let it through, pyca and PrivateCa reject it (RFC 5280 §4.2.1.10 excludes every name in the subtree)"),
        .. Entries("nc-permitted-dirname-out", "Platform,Strict", "pyca", Rejects, "pyca does not apply directoryName constraints; RFC 5280 §4.2.1.10 requires them, and OpenSSL, Go's error on them and PrivateCa enforce them"),
        .. Entries("eku-leaf-any", "Platform,Strict", "go", Rejects, "Go accepts anyExtendedKeyUsage for serverAuth; OpenSSL, pyca and .NET's chain engine (and so PrivateCa) require serverAuth itself"),

        // PrivateCa trusts what a judge refuses: a judge's own limit, or a profile rule Platform leaves to Strict.
        .. Entries("sig-sha256-rsa-no-null", "Platform,Strict", "pyca", Trusts,
            "RFC 4055 §5: the parameters of sha256WithRSAEncryption are NULL, and implementations MUST accept them absent; pyca (webpki) requires the NULL"),
        .. Entries("nc-permitted-leading-dot", "Platform,Strict", "pyca", Trusts,
            "a dNSName constraint '.corp.example' means subdomains only for OpenSSL, Go and PrivateCa (narrower than 'corp.example'); pyca refuses it as malformed"),
        .. Entries("nc-permitted-dirname-in", "Platform,Strict", "go", Trusts, "Go does not support directoryName constraints and rejects the chain; RFC 5280 §4.2.1.10 defines them and OpenSSL, pyca and PrivateCa accept a subject inside"),
        .. Entries("bc-int-not-critical", "Platform", "openssl,pyca", Trusts, "RFC 5280 §4.2.1.9 wants a CA's basicConstraints critical: openssl -x509_strict and pyca enforce it, as PrivateCa's Strict profile does; Platform follows OpenSSL's and .NET's defaults"),
        .. Entries("bc-leaf-ca-true", "Platform", "pyca", Trusts, "a CA certificate serving TLS is refused by pyca (webpki) and PrivateCa's Strict profile; OpenSSL, Go and Platform accept it"),
        .. Entries("ext-leaf-no-aki", "Platform", "openssl,pyca", Trusts, "RFC 5280 §4.2.1.1 requires an authorityKeyIdentifier: openssl -x509_strict, pyca and PrivateCa's Strict profile enforce it; Platform follows OpenSSL's and .NET's defaults"),
        .. Entries("ext-int-no-ski", "Platform", "openssl", Trusts, "RFC 5280 §4.2.1.2 requires a CA's subjectKeyIdentifier: openssl -x509_strict and PrivateCa's Strict profile enforce it; Platform follows OpenSSL's and .NET's defaults"),
        .. Entries("ext-leaf-ku-keycertsign", "Platform", "openssl,pyca", Trusts, "a leaf that may sign certificates is refused by openssl -x509_strict, pyca and PrivateCa's Strict profile; Platform follows OpenSSL's and .NET's defaults"),

        // Strict's rules beyond a judge's.
        .. Entries("bc-int-not-critical", "Strict", "go", Rejects, "Strict requires a CA's basicConstraints critical (RFC 5280 §4.2.1.9), as openssl -x509_strict and pyca do; Go does not"),
        .. Entries("bc-leaf-ca-true", "Strict", "openssl,go", Rejects, "Strict refuses a CA certificate as a server certificate, as pyca does; OpenSSL and Go accept it"),
        .. Entries("ext-leaf-no-aki", "Strict", "go", Rejects, "Strict requires an authorityKeyIdentifier (RFC 5280 §4.2.1.1), as openssl -x509_strict and pyca do; Go does not"),
        .. Entries("ext-int-no-ski", "Strict", "pyca,go", Rejects, "Strict requires a CA's subjectKeyIdentifier (RFC 5280 §4.2.1.2), as openssl -x509_strict does; pyca and Go do not"),
        .. Entries("ext-leaf-ku-keycertsign", "Strict", "go", Rejects, "Strict refuses a server certificate that may sign certificates, as openssl -x509_strict and pyca do; Go does not"),
        .. Entries("eku-leaf-absent", "Strict", "openssl,pyca,go", Rejects,
            "Strict requires serverAuth in the leaf's extendedKeyUsage, as the CA/Browser Forum Baseline Requirements do; the three read an absent extendedKeyUsage as any usage (RFC 5280)"),
    ];

    private static IEnumerable<Disagreement> Entries(string kind, string profiles, string judges, bool privateCaTrusts, string reason) =>
        from profile in profiles.Split(',')
        from judge in judges.Split(',')
        select new Disagreement(judge, profile, kind, privateCaTrusts, reason);
}
