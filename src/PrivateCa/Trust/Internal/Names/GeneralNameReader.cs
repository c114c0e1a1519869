using System.Formats.Asn1;

namespace PrivateCa.Trust.Internal.Names;

/// <summary>Reads GeneralNames (RFC 5280 §4.2.1.6) with <see cref="AsnReader"/>; malformed input is a false return, never an exception.</summary>
internal static class GeneralNameReader
{
    /// <summary>Reads a subjectAltName extension value (GeneralNames, a non-empty SEQUENCE OF GeneralName).</summary>
    public static bool TryReadSubjectAltName(ReadOnlyMemory<byte> value, List<GeneralName> names)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!sequence.HasData)
            {
                return false;
            }

            while (sequence.HasData)
            {
                if (Read(sequence) is not { } name)
                {
                    return false;
                }

                names.Add(name);
            }

            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>Reads one GeneralName; null when its encoding is wrong for its choice.</summary>
    /// <exception cref="AsnContentException">The reader holds no well-formed element.</exception>
    public static GeneralName? Read(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.TagClass != TagClass.ContextSpecific || tag.TagValue > (int)GeneralNameType.RegisteredId)
        {
            return null;
        }

        var type = (GeneralNameType)tag.TagValue;
        switch (type)
        {
            case GeneralNameType.Rfc822Name or GeneralNameType.DnsName or GeneralNameType.Uri:
                if (tag.IsConstructed)
                {
                    return null;
                }

                // IA5String: the reader refuses octets above 0x7F, so a U-label can never arrive here.
                return new GeneralName(type, reader.ReadCharacterString(UniversalTagNumber.IA5String, tag), default);
            case GeneralNameType.IpAddress:
                return tag.IsConstructed ? null : new GeneralName(type, string.Empty, reader.ReadOctetString(tag));
            case GeneralNameType.DirectoryName:
                {
                    // [4] EXPLICIT Name: the wrapped SEQUENCE is kept whole, as a subject field would be.
                    var wrapped = reader.ReadSequence(tag);
                    var name = wrapped.ReadEncodedValue();
                    wrapped.ThrowIfNotEmpty();
                    return new AsnReader(name, AsnEncodingRules.DER).PeekTag().HasSameClassAndValue(Asn1Tag.Sequence)
                        ? new GeneralName(type, string.Empty, name)
                        : null;
                }

            default:
                return new GeneralName(type, string.Empty, reader.ReadEncodedValue());
        }
    }
}
