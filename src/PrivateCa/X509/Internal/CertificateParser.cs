using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.X509.Internal;

/// <summary>
/// Walks a certificate's DER with <see cref="AsnReader"/>: microseconds, against ~0.2 ms for the
/// platform decoder. Signatures are not checked here; the chain engine does that.
/// </summary>
internal static class CertificateParser
{
    /// <summary>Reads the certificate at the start of <paramref name="der"/>; throws <see cref="AsnContentException"/> when it is not one.</summary>
    /// <returns>The facts, and how many bytes the certificate took.</returns>
    public static (CertificateFacts Facts, int Length) Parse(ReadOnlyMemory<byte> der)
    {
        try
        {
            return Parse(der, AsnEncodingRules.DER);
        }
        catch (AsnContentException)
        {
            // Some long-lived roots are BER (for example non-minimal lengths), which OpenSSL accepts. Such input is
            // rare (none in Debian's bundle), so here the platform decoder must accept it too: never load what it refuses.
            // Nor what it reads as other bytes: it keeps the signed part as read but writes the rest anew (a signature's
            // padding bits cleared), and its certificate's fingerprint would not be the one the bundle reports.
            var parsed = Parse(der, AsnEncodingRules.BER);
            var encoded = der.Span[..parsed.Item2];
            try
            {
                using var platform = X509CertificateLoader.LoadCertificate(encoded);
                if (!platform.RawData.AsSpan().SequenceEqual(encoded))
                {
                    throw new AsnContentException("it is not DER, and the platform decoder writes it back as other bytes (outside the signed part)");
                }
            }
            catch (CryptographicException ex)
            {
                throw new AsnContentException($"the platform decoder refuses it: {ex.Message}");
            }

            return parsed;
        }
    }

    private static (CertificateFacts, int) Parse(ReadOnlyMemory<byte> der, AsnEncodingRules rules)
    {
        var outer = new AsnReader(der, rules);
        var certificateEncoded = outer.PeekEncodedValue();
        var certificate = outer.ReadSequence();
        var tbs = certificate.ReadSequence();

        var version = 1;
        var explicitVersion = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.PeekTag().HasSameClassAndValue(explicitVersion))
        {
            var versionReader = tbs.ReadSequence(explicitVersion);
            if (!versionReader.TryReadInt32(out var v) || v is < 0 or > 2)
            {
                throw new AsnContentException("unknown certificate version");
            }

            versionReader.ThrowIfNotEmpty();
            version = v + 1;
        }

        var serial = tbs.ReadIntegerBytes();
        var tbsSignatureEncoded = tbs.PeekEncodedValue();
        var (tbsSignature, tbsSignatureParameters) = ReadAlgorithm(tbs);
        var issuer = tbs.ReadEncodedValue();
        var validity = tbs.ReadSequence();
        var notBefore = ReadTime(validity);
        var notAfter = ReadTime(validity);
        validity.ThrowIfNotEmpty();
        var subject = tbs.ReadEncodedValue();
        if (!IsName(issuer, rules) || !IsName(subject, rules))
        {
            throw new AsnContentException("issuer or subject is not a Name");
        }

        var spkiEncoded = tbs.ReadEncodedValue();
        var spki = new AsnReader(spkiEncoded, rules).ReadSequence();
        var (keyAlgorithm, keyParameters) = ReadAlgorithm(spki);
        var publicKey = spki.ReadBitString(out _);
        spki.ThrowIfNotEmpty();

        // What the key is judged on is decided by AlgorithmPolicy; here only what it needs is read.
        string? namedCurve = null;
        if (keyAlgorithm == Oids.EcPublicKey && !keyParameters.IsEmpty && new AsnReader(keyParameters, rules).PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
        {
            namedCurve = new AsnReader(keyParameters, rules).ReadObjectIdentifier();
        }

        var rsaBits = keyAlgorithm switch
        {
            Oids.Rsa => RsaModulusBits(publicKey, rules),
            Oids.RsaPss or Oids.X500Rsa => TryRsaModulusBits(publicKey, rules),
            _ => 0,
        };

        // issuerUniqueID and subjectUniqueID: IMPLICIT BIT STRING, so primitive.
        var uniqueId1 = new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: false);
        var uniqueId2 = new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: false);
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
        if (tbs.HasData && tbs.PeekTag() == uniqueId1)
        {
            tbs.ReadBitString(out _, uniqueId1);
        }

        if (tbs.HasData && tbs.PeekTag() == uniqueId2)
        {
            tbs.ReadBitString(out _, uniqueId2);
        }

        var extensions = new List<CertificateExtension>();
        if (tbs.HasData)
        {
            var extensionsReader = tbs.ReadSequence(extensionsTag).ReadSequence();
            while (extensionsReader.HasData)
            {
                var extension = extensionsReader.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                var critical = extension.HasData && extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
                var value = extension.ReadOctetString();
                extension.ThrowIfNotEmpty();
                extensions.Add(new CertificateExtension(oid, critical, value));
            }
        }

        tbs.ThrowIfNotEmpty();
        var outerSignatureEncoded = certificate.PeekEncodedValue();
        var (outerSignature, _) = ReadAlgorithm(certificate);
        certificate.ReadBitString(out _);
        certificate.ThrowIfNotEmpty();
        if (outerSignature != tbsSignature || !outerSignatureEncoded.Span.SequenceEqual(tbsSignatureEncoded.Span))
        {
            // RFC 5280 §4.1.1.2: parameters included, or a verifier could judge one and the signature use the other.
            throw new AsnContentException("the two signature algorithm fields differ");
        }

        bool? isCa = null;
        var bcCritical = false;
        int? pathLength = null;
        int? keyUsage = null;
        ReadOnlyMemory<byte> ski = default, aki = default;
        foreach (var extension in extensions)
        {
            switch (extension.Oid)
            {
                case Oids.BasicConstraints:
                    (isCa, pathLength) = ReadBasicConstraints(extension.Value, rules);
                    bcCritical = extension.Critical;
                    break;
                case Oids.KeyUsage:
                    keyUsage = ReadKeyUsage(extension.Value, rules);
                    break;
                case Oids.SubjectKeyIdentifier:
                    ski = new AsnReader(extension.Value, rules).ReadOctetString();
                    break;
                case Oids.AuthorityKeyIdentifier:
                    aki = ReadAuthorityKeyIdentifier(extension.Value, rules);
                    break;
                default:
                    break;
            }
        }

        var facts = new CertificateFacts
        {
            Version = version,
            SerialNumber = serial,
            Issuer = issuer,
            Subject = subject,
            NotBefore = notBefore,
            NotAfter = notAfter,
            SignatureAlgorithm = tbsSignature,
            SignatureParameters = tbsSignatureParameters,
            PublicKeyAlgorithm = keyAlgorithm,
            PublicKeyParameters = keyParameters,
            PublicKey = publicKey,
            NamedCurve = namedCurve,
            RsaKeySize = rsaBits,
            SubjectPublicKeyInfo = spkiEncoded,
            BasicConstraintsCa = isCa,
            BasicConstraintsCritical = bcCritical,
            PathLengthConstraint = pathLength,
            KeyUsage = keyUsage,
            SubjectKeyIdentifier = ski,
            AuthorityKeyIdentifier = aki,
            Extensions = extensions,
        };
        return (facts, certificateEncoded.Length);
    }

    /// <summary>An AlgorithmIdentifier: the OID and its parameters, encoded (empty when absent).</summary>
    private static (string Oid, ReadOnlyMemory<byte> Parameters) ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var parameters = algorithm.HasData ? algorithm.ReadEncodedValue() : default;
        algorithm.ThrowIfNotEmpty();
        return (oid, parameters);
    }

    private static int TryRsaModulusBits(ReadOnlyMemory<byte> rsaPublicKey, AsnEncodingRules rules)
    {
        try
        {
            return RsaModulusBits(rsaPublicKey, rules);
        }
        catch (AsnContentException)
        {
            return 0;
        }
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)
            ? reader.ReadUtcTime()
            : reader.ReadGeneralizedTime();

    private static bool IsName(ReadOnlyMemory<byte> encoded, AsnEncodingRules rules)
    {
        var name = new AsnReader(encoded, rules).ReadSequence();
        while (name.HasData)
        {
            var rdn = name.ReadSetOf();
            while (rdn.HasData)
            {
                var attribute = rdn.ReadSequence();
                attribute.ReadObjectIdentifier();

                // OpenSSL takes only universal string types (or SEQUENCE) as attribute values.
                var tag = attribute.PeekTag();
                if (tag.TagClass != TagClass.Universal || (tag.IsConstructed ? tag.TagValue is not (16 or 17) : !IsStringTag(tag.TagValue)))
                {
                    throw new AsnContentException("a name attribute value that is not a string");
                }

                attribute.ReadEncodedValue();
                attribute.ThrowIfNotEmpty();
            }
        }

        return true;
    }

    /// <summary>BIT STRING, OCTET STRING, UTF8String, and the character string types 18 to 30 other than 23, 24 and 29 (times).</summary>
    private static bool IsStringTag(int tag) => tag is 3 or 4 or 12 or (>= 18 and <= 22) or (>= 25 and <= 28) or 30;

    private static int RsaModulusBits(ReadOnlyMemory<byte> rsaPublicKey, AsnEncodingRules rules)
    {
        var key = new AsnReader(rsaPublicKey, rules).ReadSequence();
        var modulus = key.ReadIntegerBytes().Span;
        while (modulus.Length > 0 && modulus[0] == 0)
        {
            modulus = modulus[1..];
        }

        return modulus.Length == 0 ? 0 : ((modulus.Length - 1) * 8) + (32 - BitOperations.LeadingZeroCount((uint)modulus[0]));
    }

    private static (bool, int?) ReadBasicConstraints(ReadOnlyMemory<byte> value, AsnEncodingRules rules)
    {
        var sequence = new AsnReader(value, rules).ReadSequence();
        var ca = sequence.HasData && sequence.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && sequence.ReadBoolean();
        int? pathLength = null;
        if (sequence.HasData)
        {
            pathLength = sequence.TryReadInt32(out var p) && p >= 0 ? p : throw new AsnContentException("bad pathLenConstraint");
        }

        sequence.ThrowIfNotEmpty();
        return (ca, pathLength);
    }

    private static int ReadKeyUsage(ReadOnlyMemory<byte> value, AsnEncodingRules rules)
    {
        // Same bit layout as X509KeyUsageFlags: first octet as-is, decipherOnly in bit 15.
        var bits = new AsnReader(value, rules).ReadBitString(out _).AsSpan();
        var flags = bits.Length > 0 ? bits[0] : 0;
        if (bits.Length > 1)
        {
            flags |= bits[1] << 8;
        }

        return flags;
    }

    private static ReadOnlyMemory<byte> ReadAuthorityKeyIdentifier(ReadOnlyMemory<byte> value, AsnEncodingRules rules)
    {
        var sequence = new AsnReader(value, rules).ReadSequence();
        var keyIdTag = new Asn1Tag(TagClass.ContextSpecific, 0);
        return sequence.HasData && sequence.PeekTag().HasSameClassAndValue(keyIdTag)
            ? sequence.ReadOctetString(keyIdTag)
            : default;
    }
}
