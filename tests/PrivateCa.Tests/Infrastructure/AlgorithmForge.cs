using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Tests.Infrastructure;

/// <summary>
/// Chains whose signature algorithm identifier, its parameters or the key's identifier are chosen by the test — the
/// spellings a denylist misses (OIW's MD5 and SHA-1, PSS with its SHA-1 defaults, RSA keys under the PSS or X.500 OIDs) —
/// with signatures that really verify, so the only thing wrong is the algorithm.
/// </summary>
internal static class AlgorithmForge
{
    public const string Host = "model.internal";

    public sealed record Chain(X509Certificate2 Root, X509Certificate2 Intermediate, X509Certificate2 Leaf);

    /// <summary>An AlgorithmIdentifier: the OID, and the parameters given as encoded bytes (none when null).</summary>
    public static byte[] Algorithm(string oid, byte[]? parameters = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (parameters is not null)
            {
                writer.WriteEncodedValue(parameters);
            }
        }

        return writer.Encode();
    }

    public static readonly byte[] Null = [0x05, 0x00];

    /// <summary>RSASSA-PSS-params with the given hash, MGF1 hash and salt; a null hash leaves that field out (its SHA-1 default).</summary>
    public static byte[] PssParameters(string? hashOid, string? mgfHashOid, int? salt)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (hashOid is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    writer.WriteEncodedValue(Algorithm(hashOid, Null));
                }
            }

            if (mgfHashOid is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                {
                    writer.WriteEncodedValue(Algorithm("1.2.840.113549.1.1.8", Algorithm(mgfHashOid, Null)));
                }
            }

            if (salt is int length)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
                {
                    writer.WriteInteger(length);
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>
    /// EC root → RSA intermediate → EC leaf for <see cref="Host"/>. The intermediate's key has <paramref name="intermediateBits"/> bits
    /// and the SubjectPublicKeyInfo identifier <paramref name="intermediateKeyOid"/>; the leaf is signed by it with the
    /// given algorithm identifier, hash and padding.
    /// </summary>
    public static Chain Build(byte[] leafAlgorithm, HashAlgorithmName hash, RSASignaturePadding padding, int intermediateBits = 2048,
        string intermediateKeyOid = "1.2.840.113549.1.1.1")
    {
        var root = Pki.Root($"Forge Root {Guid.NewGuid():N}");
        using var rsa = RSA.Create(intermediateBits);
        var spki = Spki(intermediateKeyOid, rsa);
        var intermediateRequest = new CertificateRequest(new X500DistinguishedName("CN=Forge Intermediate"), PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _), HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, critical: false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var rootKey = root.GetECDsaPrivateKey()!;
        var intermediate = intermediateRequest.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), Serial());

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={Host}", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(Host);
        leafRequest.CertificateExtensions.Add(san.Build());
        using var leaf = leafRequest.Create(intermediate.SubjectName, new Generator(rsa, leafAlgorithm, hash, padding),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), Serial());
        return new Chain(root, intermediate, leaf.CopyWithPrivateKey(leafKey));
    }

    private static byte[] Spki(string oid, RSA rsa)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(oid == "1.2.840.113549.1.1.1" ? Algorithm(oid, Null) : Algorithm(oid));
            writer.WriteBitString(rsa.ExportRSAPublicKey());
        }

        return writer.Encode();
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    /// <summary>Writes the algorithm identifier it was given, whatever the request's hash, and signs as told.</summary>
    private sealed class Generator(RSA key, byte[] algorithm, HashAlgorithmName hash, RSASignaturePadding padding) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => algorithm;

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => key.SignData(data, hash, padding);

        protected override PublicKey BuildPublicKey() => throw new NotSupportedException("only issues, never self-signs");
    }
}
