using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa;

/// <summary>What a PrivateCa handler or validator trusts, for which hosts, and how it checks.</summary>
public sealed class PrivateCaTrustOptions
{
    /// <summary>Gets the CA bundle files or directories to trust.</summary>
    /// <value>Empty by default. When set, they replace the environment variables, as an explicit <c>verify=</c> does in requests and httpx.</value>
    public IList<string> BundlePaths { get; } = [];

    /// <summary>Gets or sets whether <c>SSL_CERT_FILE</c>, <c>REQUESTS_CA_BUNDLE</c>, <c>CURL_CA_BUNDLE</c>, <c>SSL_CERT_DIR</c>
    /// and <c>NODE_EXTRA_CA_CERTS</c> are read when <see cref="BundlePaths"/> is empty.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool UseEnvironment { get; set; } = true;

    /// <summary>Gets or sets which roots are trusted for hosts in scope.</summary>
    /// <value>Default <see cref="TrustMode.CustomRootTrust"/>; a bundle from <c>NODE_EXTRA_CA_CERTS</c> alone always adds to the system's roots.</value>
    [EnumDataType(typeof(TrustMode))]
    public TrustMode Mode { get; set; } = TrustMode.CustomRootTrust;

    /// <summary>Gets the hosts the bundle applies to: <c>model.internal</c>, <c>*.corp.example</c> (any name below corp.example), <c>10.0.0.7</c>, <c>::1</c>.</summary>
    /// <value>Empty by default, meaning every host. Other hosts keep ordinary system validation, untouched.</value>
    public IList<string> Hosts { get; } = [];

    /// <summary>Gets the optional pins: base64 SHA-256 of a SubjectPublicKeyInfo (curl's <c>sha256//</c> prefix is accepted).
    /// When any is set, some certificate of the validated chain must match one, on top of chain validity.</summary>
    /// <value>Empty by default.</value>
    public IList<string> PinnedSpkiSha256 { get; } = [];

    /// <summary>Gets or sets revocation checking. .NET 10 checks online by default; private CAs often publish no CRL, so PrivateCa does not unless asked.</summary>
    /// <value>Default <see cref="X509RevocationMode.NoCheck"/>. With Online, each CRL or OCSP fetch is bounded by 5 seconds, and unknown status rejects.</value>
    [EnumDataType(typeof(X509RevocationMode))]
    public X509RevocationMode RevocationMode { get; set; } = X509RevocationMode.NoCheck;

    /// <summary>Gets CRL files or folders (PEM 'X509 CRL' blocks or DER), read offline beside the bundle and followed like it.
    /// A certificate listed by a CRL its issuer signed is <see cref="TrustFailure.Revocation"/>; nothing is ever fetched.</summary>
    /// <value>Empty by default: no offline CRL. CAs without one follow <see cref="RevocationMode"/>.</value>
    public IList<string> RevocationListPaths { get; } = [];

    /// <summary>Gets or sets whether a CA certificate from the bundle that is not self-signed may end a chain
    /// (OpenSSL's partial-chain mode). Every signature below it is still verified.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool AllowIntermediateAnchors { get; set; }

    /// <summary>Gets or sets whether changed bundle files are re-read and swapped in without a restart.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary>Gets or sets a PEM client certificate presented to servers that ask for one (mTLS).</summary>
    /// <value>Default <see langword="null"/>. May hold the private key too, or name it in <see cref="ClientKeyPath"/>.</value>
    public string? ClientCertificatePath { get; set; }

    /// <summary>Gets or sets the PEM private key of <see cref="ClientCertificatePath"/>.</summary>
    /// <value>Default <see langword="null"/>: the key is read from the certificate file.</value>
    public string? ClientKeyPath { get; set; }

    /// <summary>Gets or sets how strictly certificates are judged.</summary>
    /// <value>Default <see cref="ValidationProfile.Platform"/>.</value>
    [EnumDataType(typeof(ValidationProfile))]
    public ValidationProfile Profile { get; set; } = ValidationProfile.Platform;

    /// <summary>Gets or sets whether a server certificate without a subjectAltName may match the host by its subject
    /// common name, for legacy private CAs. RFC 6125, Chrome and Go no longer do this.</summary>
    /// <value>Default <see langword="false"/>: a certificate without subjectAltName is rejected with
    /// <see cref="TrustFailure.NameMismatch"/>. When <see langword="true"/>, the common name is compared with DNS host names
    /// only — never with an IP address — and never when a CA of the chain carries name constraints.</value>
    public bool AllowCommonNameFallback { get; set; }
}
