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
    public const string CrlNumber = "2.5.29.20";
    public const string CrlReason = "2.5.29.21";
    public const string DeltaCrlIndicator = "2.5.29.27";
    public const string IssuingDistributionPoint = "2.5.29.28";

    public const string Rsa = "1.2.840.113549.1.1.1";
    public const string Dsa = "1.2.840.10040.4.1";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string Ed25519 = "1.3.101.112";

    /// <summary>RSASSA-PSS: a signature algorithm, and as a SubjectPublicKeyInfo algorithm an RSA key restricted to PSS.</summary>
    public const string RsaPss = "1.2.840.113549.1.1.10";

    /// <summary>X.500's rsa (2.5.8.1.1), an old spelling of an RSA key OpenSSL still reads.</summary>
    public const string X500Rsa = "2.5.8.1.1";

    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";

    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";
    public const string Mgf1 = "1.2.840.113549.1.1.8";

    /// <summary>OIW's md5WithRSA and sha1WithRSA: the same weak signatures as PKCS#1's, under other identifiers.</summary>
    public const string OiwMd5WithRsa = "1.3.14.3.2.3";
    public const string OiwSha1WithRsa = "1.3.14.3.2.29";

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

    /// <summary>A readable name for an algorithm identifier in messages; the bare OID when it has none here.</summary>
    public static string AlgorithmName(string oid) => oid switch
    {
        Rsa => "rsaEncryption",
        Dsa => "DSA",
        EcPublicKey => "id-ecPublicKey",
        Ed25519 => "Ed25519",
        RsaPss => "RSASSA-PSS",
        X500Rsa => "X.500 rsa (2.5.8.1.1)",
        Sha256WithRsa => "sha256WithRSAEncryption",
        Sha384WithRsa => "sha384WithRSAEncryption",
        Sha512WithRsa => "sha512WithRSAEncryption",
        EcdsaWithSha256 => "ecdsa-with-SHA256",
        EcdsaWithSha384 => "ecdsa-with-SHA384",
        EcdsaWithSha512 => "ecdsa-with-SHA512",
        Md2WithRsa => "md2WithRSAEncryption (MD2)",
        Md5WithRsa => "md5WithRSAEncryption (MD5)",
        Sha1WithRsa => "sha1WithRSAEncryption (SHA-1)",
        DsaWithSha1 => "dsa-with-sha1 (SHA-1)",
        EcdsaWithSha1 => "ecdsa-with-SHA1 (SHA-1)",
        OiwMd5WithRsa => "md5WithRSA under the OIW identifier 1.3.14.3.2.3 (MD5)",
        OiwSha1WithRsa => "sha1WithRSA under the OIW identifier 1.3.14.3.2.29 (SHA-1)",
        Sha1 => "SHA-1",
        Sha256 => "SHA-256",
        Sha384 => "SHA-384",
        Sha512 => "SHA-512",
        Secp192r1 => "P-192",
        Secp224r1 => "P-224",
        Secp256r1 => "P-256",
        Secp384r1 => "P-384",
        Secp521r1 => "P-521",
        Secp256k1 => "secp256k1",
        BrainpoolP256r1 => "brainpoolP256r1",
        BrainpoolP384r1 => "brainpoolP384r1",
        BrainpoolP512r1 => "brainpoolP512r1",
        _ => oid,
    };
}
