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

    public const string Md5WithRsa = "1.2.840.113549.1.1.4";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string DsaWithSha1 = "1.2.840.10040.4.3";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";

    public const string Secp192r1 = "1.2.840.10045.3.1.1";
    public const string Secp224r1 = "1.3.132.0.33";
    public const string Secp256r1 = "1.2.840.10045.3.1.7";
    public const string Secp384r1 = "1.3.132.0.34";
    public const string Secp521r1 = "1.3.132.0.35";

    public const string AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";

    public const string Pkcs7SignedData = "1.2.840.113549.1.7.2";

    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";

    public static string? WeakSignatureName(string signatureAlgorithm) => signatureAlgorithm switch
    {
        Md5WithRsa => "MD5",
        Sha1WithRsa or DsaWithSha1 or EcdsaWithSha1 => "SHA-1",
        _ => null,
    };
}
