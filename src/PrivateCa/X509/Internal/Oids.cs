namespace PrivateCa.X509.Internal;

/// <summary>Object identifiers the loader and the trust engine read.</summary>
internal static class Oids
{
    public const string BasicConstraints = "2.5.29.19";
    public const string KeyUsage = "2.5.29.15";
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string SubjectAltName = "2.5.29.17";
    public const string NameConstraints = "2.5.29.30";

    public const string Rsa = "1.2.840.113549.1.1.1";
    public const string Dsa = "1.2.840.10040.4.1";
    public const string EcPublicKey = "1.2.840.10045.2.1";

    public const string Md2WithRsa = "1.2.840.113549.1.1.2";
    public const string Md5WithRsa = "1.2.840.113549.1.1.4";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string DsaWithSha1 = "1.2.840.10040.4.3";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";

    public const string Secp192r1 = "1.2.840.10045.3.1.1";
    public const string Secp224r1 = "1.3.132.0.33";
    public const string Secp256r1 = "1.2.840.10045.3.1.7";
    public const string Secp384r1 = "1.3.132.0.34";
    public const string Secp521r1 = "1.3.132.0.35";
    public const string Secp256k1 = "1.3.132.0.10";
    public const string BrainpoolP256r1 = "1.3.36.3.3.2.8.1.1.7";
    public const string BrainpoolP384r1 = "1.3.36.3.3.2.8.1.1.11";
    public const string BrainpoolP512r1 = "1.3.36.3.3.2.8.1.1.13";

    public const string AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";

    public const string Pkcs7SignedData = "1.2.840.113549.1.7.2";

    /// <summary>The emailAddress attribute of a Name, which rfc822Name constraints also govern.</summary>
    public const string EmailAddress = "1.2.840.113549.1.9.1";

    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";

    /// <summary>A name for messages: "subjectAltName (2.5.29.17)", or the bare OID when it has none here.</summary>
    public static string NameOf(string oid) => oid switch
    {
        BasicConstraints => "basicConstraints",
        KeyUsage => "keyUsage",
        SubjectKeyIdentifier => "subjectKeyIdentifier",
        AuthorityKeyIdentifier => "authorityKeyIdentifier",
        ExtendedKeyUsage => "extendedKeyUsage",
        SubjectAltName => "subjectAltName",
        NameConstraints => "nameConstraints",
        AuthorityInfoAccess => "authorityInfoAccess",
        _ => oid,
    };

    /// <summary>The size in bits of a named curve the security floor knows; 0 for an unknown curve.</summary>
    public static int CurveBits(string? namedCurve) => namedCurve switch
    {
        Secp192r1 => 192,
        Secp224r1 => 224,
        Secp256r1 or Secp256k1 or BrainpoolP256r1 => 256,
        Secp384r1 or BrainpoolP384r1 => 384,
        Secp521r1 => 521,
        BrainpoolP512r1 => 512,
        _ => 0,
    };

    public static string? WeakSignatureName(string signatureAlgorithm) => signatureAlgorithm switch
    {
        Md2WithRsa => "MD2",
        Md5WithRsa => "MD5",
        Sha1WithRsa or DsaWithSha1 or EcdsaWithSha1 => "SHA-1",
        _ => null,
    };
}
