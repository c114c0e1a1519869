using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Tests.Differential;

/// <summary>A key a generated certificate holds.</summary>
internal enum KeyKind
{
    EcP256,
    EcP384,
    EcP521,
    EcP224,
    Rsa1024,
    Rsa2048,
    Rsa3072,

    /// <summary>A 2048-bit RSA key written under the RSASSA-PSS SubjectPublicKeyInfo OID.</summary>
    Rsa2048UnderPssOid,

    /// <summary>A 2048-bit RSA key written under X.500's 2.5.8.1.1.</summary>
    Rsa2048UnderX500Oid,
}

/// <summary>How a generated certificate is signed by its issuer (the AlgorithmIdentifier written, and the signature made).</summary>
internal enum SignatureKind
{
    Default,
    Sha256Rsa,
    Sha384Rsa,
    Sha512Rsa,
    Sha256RsaNoNull,
    Sha1Rsa,
    Md5Rsa,
    OiwSha1Rsa,
    OiwMd5Rsa,
    PssSha256,
    PssSha384,
    PssSha512,
    PssDefaults,
    PssNoParameters,
    EcdsaSha256,
    EcdsaSha384,
    EcdsaSha512,
    EcdsaSha1,
    EcdsaSha256WithNull,
    UnknownOid,
}

/// <summary>One certificate of a generated chain: key, signature, extensions, validity, subject.</summary>
internal sealed class CertificateRecipe
{
    public required string Subject { get; set; }

    public KeyKind Key { get; set; } = KeyKind.EcP256;

    public SignatureKind Signature { get; set; } = SignatureKind.Default;

    /// <summary>Extensions in order; a duplicate is simply listed twice.</summary>
    public List<X509Extension> Extensions { get; } = [];

    /// <summary>Whether a subjectKeyIdentifier (SHA-1 of the key) is written, as every CA tool does.</summary>
    public bool SubjectKeyIdentifier { get; set; } = true;

    /// <summary>Whether an authorityKeyIdentifier naming the issuer's key is written (never on a self-signed root).</summary>
    public bool AuthorityKeyIdentifier { get; set; } = true;

    public TimeSpan NotBefore { get; set; } = TimeSpan.FromDays(-1);

    public TimeSpan NotAfter { get; set; } = TimeSpan.FromDays(30);

    public void Replace(string oid, X509Extension? extension)
    {
        var index = Extensions.FindIndex(e => e.Oid?.Value == oid);
        if (index >= 0)
        {
            Extensions.RemoveAt(index);
        }

        if (extension is not null)
        {
            Extensions.Insert(index >= 0 ? index : Extensions.Count, extension);
        }
    }
}

/// <summary>A chain to generate: root, intermediates (root side first), leaf, and the host it is judged for.</summary>
internal sealed class ChainRecipe
{
    public required CertificateRecipe Root { get; init; }

    /// <summary>Intermediates from the one the root issued down to the leaf's issuer.</summary>
    public required List<CertificateRecipe> Intermediates { get; init; }

    public required CertificateRecipe Leaf { get; init; }

    public string Host { get; set; } = "model.corp.example";
}
