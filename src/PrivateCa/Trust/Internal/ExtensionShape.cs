using System.Formats.Asn1;

namespace PrivateCa.Trust.Internal;

/// <summary>The shapes of extension values Strict's rules look at: never throw, a malformed value is simply not the good shape.</summary>
internal static class ExtensionShape
{
    public static List<string> ReadOids(ReadOnlyMemory<byte> value)
    {
        var oids = new List<string>();
        try
        {
            var sequence = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                oids.Add(sequence.ReadObjectIdentifier());
            }
        }
        catch (AsnContentException)
        {
            // A malformed EKU names no usage.
        }

        return oids;
    }

    public static bool WellFormedAccessDescriptions(ReadOnlyMemory<byte> value)
    {
        try
        {
            var sequence = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            var count = 0;
            var uri = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (sequence.HasData)
            {
                var description = sequence.ReadSequence();
                description.ReadObjectIdentifier();
                if (description.PeekTag().HasSameClassAndValue(uri))
                {
                    var text = description.ReadCharacterString(UniversalTagNumber.IA5String, uri);
                    if (!Uri.TryCreate(text, UriKind.Absolute, out _))
                    {
                        return false;
                    }
                }
                else
                {
                    description.ReadEncodedValue();
                }

                description.ThrowIfNotEmpty();
                count++;
            }

            return count > 0;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    public static bool NonEmptySubtrees(ReadOnlyMemory<byte> value)
    {
        try
        {
            var sequence = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            var any = false;
            while (sequence.HasData)
            {
                var subtrees = sequence.ReadSequence(sequence.PeekTag());
                if (!subtrees.HasData)
                {
                    return false;
                }

                while (subtrees.HasData)
                {
                    subtrees.ReadSequence();
                }

                any = true;
            }

            return any;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }
}
