using System.Formats.Asn1;
using System.Numerics;

namespace PrivateCa.X509.Internal;

/// <summary>
/// The one list of signature and key algorithms PrivateCa accepts, each as (OID, parameters), as Go's crypto/x509 and
/// rustls-webpki keep theirs: RSA PKCS#1 v1.5 and RSASSA-PSS with SHA-256/384/512, ECDSA with SHA-256/384/512, Ed25519;
/// RSA keys of 2048 to 16384 bits, EC keys on P-256, P-384 and P-521, Ed25519 keys. Anything else — another identifier
/// for the same weak hash, parameters that change the meaning (PSS defaults to SHA-1), an unknown OID — is not on the
/// list, whatever its name. The security floor, the Strict rules and the loader's findings all read this table.
/// </summary>
internal static class AlgorithmPolicy
{
    public const int MinimumRsaBits = 2048;

    /// <summary>The largest RSA modulus accepted: bounds the work a hostile key can ask of a signature check.</summary>
    public const int MaximumRsaBits = 16384;

    /// <summary>The accepted signature algorithms, in words, for messages.</summary>
    public const string AcceptedSignatures = "RSA PKCS#1 v1.5 or RSASSA-PSS with SHA-256, SHA-384 or SHA-512, ECDSA with SHA-256, SHA-384 or SHA-512, and Ed25519";

    /// <summary>The accepted keys, in words, for messages.</summary>
    public const string AcceptedKeys = "RSA keys of 2048 to 16384 bits, ECDSA keys on P-256, P-384 or P-521, and Ed25519 keys";

    private static readonly byte[] Null = [0x05, 0x00];

    /// <summary>Why the certificate's signature algorithm is not accepted; null when it is.</summary>
    public static AlgorithmProblem? Signature(CertificateFacts facts) => Signature(facts.SignatureAlgorithm, facts.SignatureParameters);

    /// <summary>Why a signature algorithm (a certificate's or a CRL's) is not accepted; null when it is.</summary>
    public static AlgorithmProblem? Signature(string algorithm, ReadOnlyMemory<byte> encodedParameters)
    {
        var parameters = encodedParameters.Span;
        switch (algorithm)
        {
            case Oids.Sha256WithRsa or Oids.Sha384WithRsa or Oids.Sha512WithRsa:
                // RFC 4055 asks for NULL; absent parameters change nothing and are common enough to keep.
                return parameters.IsEmpty || parameters.SequenceEqual(Null)
                    ? null
                    : Weak($"{Oids.AlgorithmName(algorithm)} with parameters other than NULL");
            case Oids.EcdsaWithSha256 or Oids.EcdsaWithSha384 or Oids.EcdsaWithSha512 or Oids.Ed25519:
                return parameters.IsEmpty ? null : Weak($"{Oids.AlgorithmName(algorithm)} with parameters (RFC 5758 and RFC 8410 say there are none)");
            case Oids.RsaPss:
                return PssProblem(encodedParameters);
            default:
                return Weak(Oids.AlgorithmName(algorithm));
        }
    }

    /// <summary>Why the certificate's public key is not accepted; null when it is.</summary>
    public static AlgorithmProblem? Key(CertificateFacts facts)
    {
        var parameters = facts.PublicKeyParameters.Span;
        switch (facts.PublicKeyAlgorithm)
        {
            case Oids.Rsa:
                if (!parameters.IsEmpty && !parameters.SequenceEqual(Null))
                {
                    return Weak("an RSA key with parameters other than NULL");
                }

                return RsaKeyProblem(facts.PublicKey);
            case Oids.EcPublicKey:
                return facts.NamedCurve switch
                {
                    Oids.Secp256r1 => PointProblem(facts.PublicKey.Span, 32),
                    Oids.Secp384r1 => PointProblem(facts.PublicKey.Span, 48),
                    Oids.Secp521r1 => PointProblem(facts.PublicKey.Span, 66),
                    null => Weak("an elliptic-curve key with explicit or missing curve parameters instead of a named curve"),
                    var curve => Weak($"an elliptic-curve key on {Oids.AlgorithmName(curve)}"),
                };
            case Oids.Ed25519:
                return !parameters.IsEmpty ? Weak("an Ed25519 key with parameters (RFC 8410 says there are none)")
                    : facts.PublicKey.Length != 32 ? Malformed($"an Ed25519 key of {facts.PublicKey.Length} octets (a key is 32)")
                    : null;
            case Oids.RsaPss or Oids.X500Rsa:
                var bits = facts.RsaKeySize == 0 ? string.Empty : $"{facts.RsaKeySize}-bit ";
                return Weak($"a {bits}RSA key under the identifier {Oids.AlgorithmName(facts.PublicKeyAlgorithm)} instead of rsaEncryption");
            default:
                return Weak($"a key of type {Oids.AlgorithmName(facts.PublicKeyAlgorithm)}");
        }
    }

    private static AlgorithmProblem? RsaKeyProblem(ReadOnlyMemory<byte> publicKey)
    {
        BigInteger exponent;
        int bits;
        try
        {
            var key = new AsnReader(publicKey, AsnEncodingRules.DER).ReadSequence();
            var modulus = key.ReadIntegerBytes().Span;
            var exponentBytes = key.ReadIntegerBytes().Span;
            key.ThrowIfNotEmpty();
            if (modulus.Length == 0 || (modulus[0] & 0x80) != 0 || (exponentBytes[0] & 0x80) != 0)
            {
                return Malformed("an RSA key whose modulus or exponent is negative");
            }

            while (modulus.Length > 0 && modulus[0] == 0)
            {
                modulus = modulus[1..];
            }

            bits = modulus.Length == 0 ? 0 : ((modulus.Length - 1) * 8) + (32 - BitOperations.LeadingZeroCount((uint)modulus[0]));
            exponent = exponentBytes.Length > 8 ? BigInteger.MinusOne : new BigInteger(exponentBytes, isUnsigned: true, isBigEndian: true);
        }
        catch (AsnContentException)
        {
            return Malformed("an RSA key that does not decode");
        }

        if (bits < MinimumRsaBits)
        {
            return Weak($"a {bits}-bit RSA key (at least {MinimumRsaBits} bits are required)");
        }

        if (bits > MaximumRsaBits)
        {
            return Weak($"a {bits}-bit RSA key (at most {MaximumRsaBits} bits are accepted)");
        }

        // Go's bounds: an exponent of 1 makes every signature forgeable, an even one is no RSA key.
        return exponent < 3 || exponent > int.MaxValue || exponent.IsEven
            ? Weak("an RSA key whose public exponent is not an odd number from 3 to 2^31-1")
            : null;
    }

    private static AlgorithmProblem? PointProblem(ReadOnlySpan<byte> point, int coordinateLength)
    {
        var valid = point.Length switch
        {
            _ when point.Length == 1 + (2 * coordinateLength) => point[0] == 0x04,
            _ when point.Length == 1 + coordinateLength => point[0] is 0x02 or 0x03,
            _ => false,
        };
        return valid ? null : Malformed($"an elliptic-curve key whose point is not {1 + (2 * coordinateLength)} octets uncompressed or {1 + coordinateLength} compressed");
    }

    /// <summary>RSASSA-PSS is accepted with SHA-256/384/512, MGF1 with the same hash, a salt as long as the hash and the
    /// usual trailer, as webpki accepts it. Absent fields mean SHA-1 (RFC 4055), so bare PSS is SHA-1.</summary>
    private static AlgorithmProblem? PssProblem(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            return Weak("RSASSA-PSS without parameters, which means SHA-1 (RFC 4055)");
        }

        try
        {
            var outer = new AsnReader(encoded, AsnEncodingRules.DER);
            var parameters = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var hash = Oids.Sha1;
            var mgfHash = Oids.Sha1;
            var mgf = Oids.Mgf1;
            var salt = 20;
            if (TryExplicit(parameters, 0) is { } hashField)
            {
                hash = ReadHash(hashField);
            }

            if (TryExplicit(parameters, 1) is { } mgfField)
            {
                var mgfAlgorithm = mgfField.ReadSequence();
                mgfField.ThrowIfNotEmpty();
                mgf = mgfAlgorithm.ReadObjectIdentifier();
                mgfHash = mgfAlgorithm.HasData ? ReadHash(mgfAlgorithm) : string.Empty;
                mgfAlgorithm.ThrowIfNotEmpty();
            }

            if (TryExplicit(parameters, 2) is { } saltField)
            {
                salt = saltField.TryReadInt32(out var s) ? s : -1;
                saltField.ThrowIfNotEmpty();
            }

            if (TryExplicit(parameters, 3) is { } trailerField)
            {
                if (!trailerField.TryReadInt32(out var trailer) || trailer != 1)
                {
                    return Weak("RSASSA-PSS with a trailer field other than 1");
                }

                trailerField.ThrowIfNotEmpty();
            }

            parameters.ThrowIfNotEmpty();
            var hashLength = hash switch
            {
                Oids.Sha256 => 32,
                Oids.Sha384 => 48,
                Oids.Sha512 => 64,
                _ => 0,
            };
            if (hashLength == 0)
            {
                return Weak($"RSASSA-PSS with {Oids.AlgorithmName(hash)}");
            }

            if (mgf != Oids.Mgf1 || mgfHash != hash)
            {
                return Weak($"RSASSA-PSS with {Oids.AlgorithmName(hash)} but a mask generation of {(mgf == Oids.Mgf1 ? $"MGF1 with {Oids.AlgorithmName(mgfHash)}" : Oids.AlgorithmName(mgf))}");
            }

            return salt == hashLength ? null : Weak($"RSASSA-PSS with {Oids.AlgorithmName(hash)} and a salt of {salt} octets (the hash's length, {hashLength}, is required)");
        }
        catch (AsnContentException)
        {
            return Malformed("RSASSA-PSS with parameters that do not decode");
        }
    }

    private static AsnReader? TryExplicit(AsnReader parameters, int tag)
    {
        var expected = new Asn1Tag(TagClass.ContextSpecific, tag, isConstructed: true);
        return parameters.HasData && parameters.PeekTag() == expected ? parameters.ReadSequence(expected) : null;
    }

    /// <summary>A hash AlgorithmIdentifier: parameters absent or NULL.</summary>
    private static string ReadHash(AsnReader field)
    {
        var algorithm = field.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            algorithm.ReadNull();
        }

        algorithm.ThrowIfNotEmpty();
        return oid;
    }

    private static AlgorithmProblem Weak(string description) => new(description, Malformed: false);

    private static AlgorithmProblem Malformed(string description) => new(description, Malformed: true);
}
