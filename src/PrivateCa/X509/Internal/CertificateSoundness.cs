using System.Formats.Asn1;
using System.Security.Cryptography;

namespace PrivateCa.X509.Internal;

/// <summary>
/// Whether a certificate is well formed where the platform decoders would throw rather than answer: the DER itself,
/// duplicate extensions, and the structure of subjectAltName, extendedKeyUsage and nameConstraints. Never throws:
/// a malformation comes back as words, for a <see cref="PrivateCa.TrustFailure.MalformedCertificate"/> verdict.
/// </summary>
internal static class CertificateSoundness
{
    private static readonly Asn1Tag DnsNameTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag IpAddressTag = new(TagClass.ContextSpecific, 7);
    private static readonly Asn1Tag PermittedTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag ExcludedTag = new(TagClass.ContextSpecific, 1, isConstructed: true);

    /// <summary>What is malformed in the certificate, or null when nothing is; <paramref name="facts"/> is set when it parses.</summary>
    public static string? FindMalformation(ReadOnlyMemory<byte> der, out CertificateFacts? facts)
    {
        facts = null;
        try
        {
            var (parsed, length) = CertificateParser.Parse(der);
            if (length != der.Length)
            {
                return $"{der.Length - length} bytes follow its DER";
            }

            facts = parsed;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var extension in parsed.Extensions)
            {
                if (!seen.Add(extension.Oid))
                {
                    return $"the extension {Oids.NameOf(extension.Oid)} appears more than once (RFC 5280 allows one of each)";
                }

                if (CheckExtension(extension) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException or ArgumentException or OverflowException)
        {
            return $"its DER does not decode ({ex.Message})";
        }
    }

    private static string? CheckExtension(CertificateExtension extension)
    {
        try
        {
            switch (extension.Oid)
            {
                case Oids.SubjectAltName:
                    return CheckGeneralNames(new AsnReader(extension.Value, AsnEncodingRules.DER).ReadSequence(), "subjectAltName", ipLength: [4, 16]);
                case Oids.ExtendedKeyUsage:
                    var reader = new AsnReader(extension.Value, AsnEncodingRules.DER);
                    var list = reader.ReadSequence();
                    reader.ThrowIfNotEmpty();
                    while (list.HasData)
                    {
                        list.ReadObjectIdentifier();
                    }

                    return null;
                case Oids.NameConstraints:
                    return CheckNameConstraints(extension.Value);
                default:
                    return null;
            }
        }
        catch (AsnContentException ex)
        {
            return $"its {Oids.NameOf(extension.Oid)} extension does not decode ({ex.Message})";
        }
    }

    private static string? CheckGeneralNames(AsnReader names, string what, int[] ipLength)
    {
        if (!names.HasData && what == "subjectAltName")
        {
            return "its subjectAltName is empty";
        }

        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(DnsNameTag))
            {
                var name = names.ReadCharacterString(UniversalTagNumber.IA5String, DnsNameTag);
                if (name.Length == 0 && what == "subjectAltName")
                {
                    return "its subjectAltName has an empty dNSName";
                }

                // Every profile: a spelling that is not the preferred syntax could name one host to one check and another to the next.
                var written = what == "subjectAltName" || name.Length == 0 || name[0] != '.' ? name : name[1..];
                if (written.Length > 0 && DnsName.PreferredSyntaxProblem(written) is { } problem)
                {
                    return $"the dNSName '{NameText.Name(name)}' in its {what} is not in preferred name syntax: {problem}";
                }
            }
            else if (tag.HasSameClassAndValue(IpAddressTag))
            {
                var length = names.ReadOctetString(IpAddressTag).Length;
                if (Array.IndexOf(ipLength, length) < 0)
                {
                    return $"its {what} has an iPAddress entry of {length} octets (only {string.Join(" or ", ipLength)} are valid)";
                }
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return null;
    }

    private static string? CheckNameConstraints(ReadOnlyMemory<byte> value)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var constraints = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        foreach (var tag in (ReadOnlySpan<Asn1Tag>)[PermittedTag, ExcludedTag])
        {
            if (!constraints.HasData || !constraints.PeekTag().HasSameClassAndValue(tag))
            {
                continue;
            }

            var subtrees = constraints.ReadSequence(tag);
            while (subtrees.HasData)
            {
                var subtree = subtrees.ReadSequence();
                var single = new AsnWriter(AsnEncodingRules.DER);
                single.WriteEncodedValue(subtree.ReadEncodedValue().Span);
                var name = new AsnReader(single.Encode(), AsnEncodingRules.DER);
                if (CheckGeneralNames(name, "nameConstraints", ipLength: [8, 32]) is { } problem)
                {
                    return problem;
                }
            }
        }

        constraints.ThrowIfNotEmpty();
        return null;
    }
}
