using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Tests.Infrastructure;

/// <summary>
/// Writes nameConstraints extension values from text: "DNS:corp.example", "IP:10.0.0.0/8", "DirName:O=Acme, C=GB",
/// "email:.corp.example", "URI:.corp.example", or "raw:HEX" for a GeneralName written as given (for forms nobody supports).
/// </summary>
internal static class NameConstraintsDer
{
    public static byte[] Encode(IReadOnlyCollection<string> permitted, IReadOnlyCollection<string> excluded)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteSubtrees(writer, 0, permitted);
            WriteSubtrees(writer, 1, excluded);
        }

        return writer.Encode();
    }

    public static X509Extension Extension(IReadOnlyCollection<string> permitted, IReadOnlyCollection<string> excluded, bool critical = true) =>
        new("2.5.29.30", Encode(permitted, excluded), critical);

    /// <summary>A subjectAltName value with the given names, in the same notation.</summary>
    public static byte[] SubjectAltName(IEnumerable<string> names)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var name in names)
            {
                WriteName(writer, name, subtree: false);
            }
        }

        return writer.Encode();
    }

    private static void WriteSubtrees(AsnWriter writer, int tag, IReadOnlyCollection<string> subtrees)
    {
        if (subtrees.Count == 0)
        {
            return;
        }

        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, tag)))
        {
            foreach (var subtree in subtrees)
            {
                using (writer.PushSequence())
                {
                    WriteName(writer, subtree, subtree: true);
                }
            }
        }
    }

    private static void WriteName(AsnWriter writer, string name, bool subtree)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var (kind, value) = (name[..colon], name[(colon + 1)..]);
        switch (kind)
        {
            case "DNS":
                writer.WriteCharacterString(UniversalTagNumber.IA5String, value, new Asn1Tag(TagClass.ContextSpecific, 2));
                break;
            case "email":
                writer.WriteCharacterString(UniversalTagNumber.IA5String, value, new Asn1Tag(TagClass.ContextSpecific, 1));
                break;
            case "URI":
                writer.WriteCharacterString(UniversalTagNumber.IA5String, value, new Asn1Tag(TagClass.ContextSpecific, 6));
                break;
            case "IP":
                writer.WriteOctetString(subtree ? Range(value) : IPAddress.Parse(value).GetAddressBytes(), new Asn1Tag(TagClass.ContextSpecific, 7));
                break;
            case "IPRAW":
                writer.WriteOctetString(Convert.FromHexString(value), new Asn1Tag(TagClass.ContextSpecific, 7));
                break;
            case "DirName":
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                {
                    writer.WriteEncodedValue(new X500DistinguishedName(value).RawData);
                }

                break;
            case "raw":
                writer.WriteEncodedValue(Convert.FromHexString(value));
                break;
            default:
                throw new ArgumentException($"unknown name form '{kind}' in '{name}'", nameof(name));
        }
    }

    /// <summary>"10.0.0.0/8" → address then mask, 8 or 32 octets.</summary>
    public static byte[] Range(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(cidr[..slash]).GetAddressBytes();
        var bits = int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var mask = new byte[address.Length];
        for (var i = 0; i < bits; i++)
        {
            mask[i / 8] |= (byte)(0x80 >> (i % 8));
        }

        return [.. address, .. mask];
    }
}
