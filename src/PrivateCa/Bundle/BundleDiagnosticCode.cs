namespace PrivateCa;

/// <summary>What a <see cref="BundleDiagnostic"/> reports. The values are stable.</summary>
public enum BundleDiagnosticCode
{
    /// <summary>The same certificate (same SHA-256) appeared more than once; it was loaded once.</summary>
    DuplicateCertificate = 1,

    /// <summary>The certificate's notAfter is in the past.</summary>
    Expired = 2,

    /// <summary>The certificate's notBefore is in the future.</summary>
    NotYetValid = 3,

    /// <summary>The certificate is not a CA (basicConstraints absent or CA:false): it can vouch only for itself.</summary>
    NotCertificateAuthority = 4,

    /// <summary>A CA whose basicConstraints is not marked critical (Python 3.13's strict mode rejects it).</summary>
    BasicConstraintsNotCritical = 5,

    /// <summary>A CA whose keyUsage is absent or lacks keyCertSign.</summary>
    NoKeyCertSign = 6,

    /// <summary>An RSA key (rsaEncryption) shorter than 2048 bits.</summary>
    WeakRsaKey = 7,

    /// <summary>A signature algorithm not on PrivateCa's list: MD5 or SHA-1 under any identifier, RSASSA-PSS with other than
    /// matching SHA-2 parameters, or an algorithm PrivateCa does not know.</summary>
    WeakSignatureAlgorithm = 8,

    /// <summary>Two different self-issued CA certificates share one subject name.</summary>
    DuplicateSubject = 9,

    /// <summary>A private key block in a trust bundle; it was not loaded and its content is never shown.</summary>
    PrivateKeyBlock = 10,

    /// <summary>An OpenSSL <c>TRUSTED CERTIFICATE</c> block; its trust settings were applied.</summary>
    OpenSslTrustSettings = 11,

    /// <summary>A PEM block that holds no certificate (for example a CRL or a public key); it was skipped.</summary>
    SkippedBlock = 12,

    /// <summary>A file in a directory whose name is not a certificate file name; it was not read.</summary>
    SkippedFile = 13,

    /// <summary>A malformed block or file skipped by a lenient load (<see cref="BundleLoadOptions.SkipMalformedInput"/>).</summary>
    MalformedInputSkipped = 14,

    /// <summary>
    /// A CA that <see cref="ValidationProfile.Strict"/> (like Python 3.13's strict mode and rustls) would reject;
    /// <see cref="BundleDiagnostic.Rule"/> names the rule.
    /// </summary>
    StrictProfileRule = 15,

    /// <summary>An environment variable of PrivateCa's order that is set but not read: an earlier variable (or BundlePaths) decides.</summary>
    EnvironmentVariableNotUsed = 16,

    /// <summary>
    /// Reading found more than a thousand things of one kind to report (information; warnings and errors), such as skipped,
    /// duplicate or damaged blocks: the first thousand of each kind are listed and this one counts the rest, so a hostile
    /// or broken file cannot make millions of findings or bury a warning under information.
    /// </summary>
    DiagnosticsLeftOut = 17,

    /// <summary>
    /// A public key not on PrivateCa's list other than a short RSA key (<see cref="WeakRsaKey"/>): DSA, a curve other than
    /// P-256, P-384 or P-521, an RSA key under another identifier (RSASSA-PSS, X.500), an RSA key over 16384 bits or with a
    /// bad exponent, or an unknown key type. No chain through it is trusted.
    /// </summary>
    WeakPublicKey = 18,
}
