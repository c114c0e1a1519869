using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Tests.Infrastructure;

/// <summary>
/// Certificates no well-behaved builder writes: takes a certificate made by <see cref="Pki"/>, rewrites its extensions
/// (or its signature hash) with <see cref="AsnWriter"/>, and signs the result again with the issuer's ECDSA key, so the
/// only defect is the one a test asks for.
/// </summary>
internal static class DerForge
{
    private static readonly Asn1Tag ExtensionsTag = new(TagClass.ContextSpecific, 3, isConstructed: true);

    public sealed record Extension(string Oid, bool Critical, byte[] Value);

    /// <summary>Re-signs <paramref name="template"/> with its extensions passed through <paramref name="mutate"/>.</summary>
    public static X509Certificate2 Rewrite(X509Certificate2 template, X509Certificate2 issuer, Func<List<Extension>, List<Extension>> mutate, HashAlgorithmName? hash = null)
    {
        var outer = new AsnReader(template.RawData, AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        var signatureHash = hash ?? HashAlgorithmName.SHA256;
        var algorithm = EcdsaOid(signatureHash);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs.ReadEncodedValue().Span); // version
            writer.WriteEncodedValue(tbs.ReadEncodedValue().Span); // serial
            tbs.ReadEncodedValue();
            WriteAlgorithm(writer, algorithm);
            for (var i = 0; i < 4; i++)
            {
                writer.WriteEncodedValue(tbs.ReadEncodedValue().Span); // issuer, validity, subject, SPKI
            }

            var extensions = new List<Extension>();
            if (tbs.HasData)
            {
                var list = tbs.ReadSequence(ExtensionsTag).ReadSequence();
                while (list.HasData)
                {
                    var extension = list.ReadSequence();
                    var oid = extension.ReadObjectIdentifier();
                    var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
                    extensions.Add(new Extension(oid, critical, extension.ReadOctetString()));
                }
            }

            extensions = mutate(extensions);
            if (extensions.Count > 0)
            {
                using (writer.PushSequence(ExtensionsTag))
                using (writer.PushSequence())
                {
                    foreach (var extension in extensions)
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(extension.Oid);
                            if (extension.Critical)
                            {
                                writer.WriteBoolean(true);
                            }

                            writer.WriteOctetString(extension.Value);
                        }
                    }
                }
            }
        }

        var tbsBytes = writer.Encode();
        using var key = issuer.GetECDsaPrivateKey() ?? throw new InvalidOperationException("issuer has no ECDsa key");
        var signature = key.SignData(tbsBytes, signatureHash, DSASignatureFormat.Rfc3279DerSequence);
        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(tbsBytes);
            WriteAlgorithm(certificate, algorithm);
            certificate.WriteBitString(signature);
        }

        return X509CertificateLoader.LoadCertificate(certificate.Encode());
    }

    /// <summary>A subjectAltName value holding exactly the given GeneralName encodings.</summary>
    public static byte[] GeneralNames(params byte[][] names)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var name in names)
            {
                writer.WriteEncodedValue(name);
            }
        }

        return writer.Encode();
    }

    /// <summary>An iPAddress GeneralName of any length.</summary>
    public static byte[] IpAddress(byte[] octets)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(octets, new Asn1Tag(TagClass.ContextSpecific, 7));
        return writer.Encode();
    }

    /// <summary>A dNSName GeneralName.</summary>
    public static byte[] DnsName(string name)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2));
        return writer.Encode();
    }

    private static string EcdsaOid(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => "1.2.840.10045.4.1",
        "SHA256" => "1.2.840.10045.4.3.2",
        "SHA384" => "1.2.840.10045.4.3.3",
        _ => throw new ArgumentOutOfRangeException(nameof(hash)),
    };

    private static void WriteAlgorithm(AsnWriter writer, string oid)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
        }
    }
}
