using System.Collections.Frozen;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.X509.Internal;

/// <summary>
/// One X.509 CRL (RFC 5280 §5), decoded strictly: a complete CRL from its issuer, with no delta, indirect or partitioned
/// scope (those are refused, not half-applied). Holds what a verdict needs: issuer name, validity, revoked serials with
/// their dates and reasons, and the signed bytes to verify against the issuer's key.
/// </summary>
internal sealed class RevocationList
{
    /// <summary>The most entries one CRL may list (a private CA's list is small; this bounds memory per file).</summary>
    public const int MaxEntries = 1_000_000;

    private static readonly Asn1Tag ExtensionsTag = new(TagClass.ContextSpecific, 0, isConstructed: true);

    private RevocationList(byte[] encoded, ReadOnlyMemory<byte> signed, X500DistinguishedName issuer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate,
        FrozenDictionary<string, RevokedEntry> entries, string algorithm, ReadOnlyMemory<byte> parameters, byte[] signature)
    {
        Encoded = encoded;
        Signed = signed;
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        Entries = entries;
        SignatureAlgorithm = algorithm;
        SignatureParameters = parameters;
        Signature = signature;
    }

    public byte[] Encoded { get; }

    /// <summary>The TBSCertList, as signed.</summary>
    public ReadOnlyMemory<byte> Signed { get; }

    public X500DistinguishedName Issuer { get; }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    /// <summary>Revoked certificates by serial number (upper-case hex, as <see cref="X509Certificate2.SerialNumber"/> gives it).</summary>
    public FrozenDictionary<string, RevokedEntry> Entries { get; }

    public string SignatureAlgorithm { get; }

    public ReadOnlyMemory<byte> SignatureParameters { get; }

    public byte[] Signature { get; }

    /// <summary>Decodes a DER CRL.</summary>
    /// <exception cref="CryptographicException">It is not a well-formed CRL, or uses a scope PrivateCa does not apply.</exception>
    public static RevocationList Decode(byte[] der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var list = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var signed = list.PeekEncodedValue();
            var tbs = list.ReadSequence();
            var (outerAlgorithm, outerParameters) = ReadAlgorithm(list);
            var signature = list.ReadBitString(out var unused);
            list.ThrowIfNotEmpty();
            if (unused != 0)
            {
                throw new CryptographicException("its signature is not a whole number of octets");
            }

            if (tbs.PeekTag() == Asn1Tag.Integer)
            {
                if (!tbs.TryReadInt32(out var version) || version != 1)
                {
                    throw new CryptographicException("its version is not v2");
                }
            }

            var (algorithm, parameters) = ReadAlgorithm(tbs);
            if (algorithm != outerAlgorithm || !parameters.Span.SequenceEqual(outerParameters.Span))
            {
                throw new CryptographicException("its two signature algorithm identifiers differ");
            }

            var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
            var thisUpdate = ReadTime(tbs);
            DateTimeOffset? nextUpdate = tbs.HasData && (tbs.PeekTag() == Asn1Tag.UtcTime || tbs.PeekTag() == Asn1Tag.GeneralizedTime) ? ReadTime(tbs) : null;
            var entries = new Dictionary<string, RevokedEntry>(StringComparer.Ordinal);
            if (tbs.HasData && tbs.PeekTag() == Asn1Tag.Sequence)
            {
                var revoked = tbs.ReadSequence();
                while (revoked.HasData)
                {
                    if (entries.Count == MaxEntries)
                    {
                        throw new CryptographicException($"it lists more than {MaxEntries:N0} certificates");
                    }

                    var entry = revoked.ReadSequence();
                    var serial = Convert.ToHexString(entry.ReadIntegerBytes().Span);
                    var date = ReadTime(entry);
                    int? reason = null;
                    if (entry.HasData)
                    {
                        reason = ReadEntryExtensions(entry.ReadSequence());
                    }

                    entry.ThrowIfNotEmpty();
                    entries[serial] = new RevokedEntry(date, reason);
                }
            }

            if (tbs.HasData)
            {
                CheckListExtensions(tbs.ReadSequence(ExtensionsTag));
            }

            tbs.ThrowIfNotEmpty();
            return new RevocationList(der, signed, issuer, thisUpdate, nextUpdate, entries.ToFrozenDictionary(StringComparer.Ordinal), algorithm, parameters, signature);
        }
        catch (AsnContentException ex)
        {
            throw new CryptographicException($"it does not decode as a DER CRL ({ex.Message})", ex);
        }
    }

    /// <summary>Whether <paramref name="issuer"/>'s key made the signature, with an algorithm on the allowlist.</summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        if (AlgorithmPolicy.Signature(SignatureAlgorithm, SignatureParameters) is not null)
        {
            return false;
        }

        var data = Signed.Span;
        switch (SignatureAlgorithm)
        {
            case Oids.Sha256WithRsa or Oids.Sha384WithRsa or Oids.Sha512WithRsa or Oids.RsaPss:
                using (var rsa = issuer.GetRSAPublicKey())
                {
                    var padding = SignatureAlgorithm == Oids.RsaPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                    return rsa is not null && rsa.VerifyData(data, Signature, Hash(), padding);
                }

            case Oids.EcdsaWithSha256 or Oids.EcdsaWithSha384 or Oids.EcdsaWithSha512:
                using (var ecdsa = issuer.GetECDsaPublicKey())
                {
                    return ecdsa is not null && ecdsa.VerifyData(data, Signature, Hash(), DSASignatureFormat.Rfc3279DerSequence);
                }

            default:
                // Ed25519: .NET has no API to verify it, so such a CRL is never taken as verified.
                return false;
        }
    }

    /// <summary>The hash of an accepted RSA or ECDSA signature algorithm (for PSS, from its checked parameters).</summary>
    private HashAlgorithmName Hash() => SignatureAlgorithm switch
    {
        Oids.Sha256WithRsa or Oids.EcdsaWithSha256 => HashAlgorithmName.SHA256,
        Oids.Sha384WithRsa or Oids.EcdsaWithSha384 => HashAlgorithmName.SHA384,
        Oids.Sha512WithRsa or Oids.EcdsaWithSha512 => HashAlgorithmName.SHA512,
        _ => PssHash(),
    };

    private HashAlgorithmName PssHash()
    {
        // The allowlist accepted these parameters, so the hash is the first field and one of the three.
        var parameters = new AsnReader(SignatureParameters, AsnEncodingRules.DER).ReadSequence();
        var hash = parameters.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence().ReadObjectIdentifier();
        return hash switch
        {
            Oids.Sha384 => HashAlgorithmName.SHA384,
            Oids.Sha512 => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
    }

    /// <summary>The reason code (RFC 5280 §5.3.1) of an entry; a critical extension other than it (an indirect CRL's
    /// certificateIssuer) is refused.</summary>
    private static int? ReadEntryExtensions(AsnReader extensions)
    {
        int? reason = null;
        while (extensions.HasData)
        {
            var (oid, critical, value) = ReadExtension(extensions);
            if (oid == Oids.CrlReason)
            {
                var reader = new AsnReader(value, AsnEncodingRules.DER);
                reason = (int)reader.ReadEnumeratedValue<CrlReason>();
                reader.ThrowIfNotEmpty();
            }
            else if (critical)
            {
                throw new CryptographicException($"an entry has a critical extension PrivateCa does not apply ({oid}; indirect CRLs are not supported)");
            }
        }

        return reason;
    }

    private static void CheckListExtensions(AsnReader explicitExtensions)
    {
        var extensions = explicitExtensions.ReadSequence();
        explicitExtensions.ThrowIfNotEmpty();
        while (extensions.HasData)
        {
            var (oid, critical, _) = ReadExtension(extensions);
            if (oid is Oids.DeltaCrlIndicator or Oids.IssuingDistributionPoint)
            {
                // A delta CRL lists only changes, and a distribution point limits the scope: applied alone either would miss revocations.
                throw new CryptographicException($"it is a {(oid == Oids.DeltaCrlIndicator ? "delta CRL" : "CRL with an issuing distribution point (a partial scope)")}, which PrivateCa does not apply; give it the complete CRL");
            }

            if (critical && oid is not (Oids.AuthorityKeyIdentifier or Oids.CrlNumber))
            {
                throw new CryptographicException($"it has a critical extension PrivateCa does not apply ({oid})");
            }
        }
    }

    private static (string Oid, bool Critical, ReadOnlyMemory<byte> Value) ReadExtension(AsnReader extensions)
    {
        var extension = extensions.ReadSequence();
        var oid = extension.ReadObjectIdentifier();
        var critical = extension.HasData && extension.PeekTag() == Asn1Tag.Boolean && extension.ReadBoolean();
        var value = extension.ReadOctetString();
        extension.ThrowIfNotEmpty();
        return (oid, critical, value);
    }

    private static (string Oid, ReadOnlyMemory<byte> Parameters) ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var parameters = algorithm.HasData ? algorithm.ReadEncodedValue() : default;
        algorithm.ThrowIfNotEmpty();
        return (oid, parameters);
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag() == Asn1Tag.UtcTime ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    /// <summary>RFC 5280 CRLReason values, for decoding.</summary>
    private enum CrlReason
    {
        Unspecified = 0,
        KeyCompromise = 1,
        CaCompromise = 2,
        AffiliationChanged = 3,
        Superseded = 4,
        CessationOfOperation = 5,
        CertificateHold = 6,
        RemoveFromCrl = 8,
        PrivilegeWithdrawn = 9,
        AaCompromise = 10,
    }
}
