using System.Formats.Asn1;
using System.Text;

namespace PrivateCa.Trust.Internal.Names;

/// <summary>
/// directoryName subtrees: a Name is inside when the constraint's RDN sequence is a prefix of its own. Attribute values
/// of the string types compare as RFC 5280 §7.1 asks (case-insensitive, outer spaces removed, inner runs of spaces
/// folded to one); other values compare octet by octet. Multi-valued RDNs compare as sets.
/// </summary>
internal static class DirectoryName
{
    /// <summary>Whether the encoded Name <paramref name="name"/> lies in the subtree <paramref name="constraint"/>; null when either does not parse.</summary>
    public static bool? InSubtree(ReadOnlyMemory<byte> name, ReadOnlyMemory<byte> constraint)
    {
        if (Read(name) is not { } names || Read(constraint) is not { } prefix)
        {
            return null;
        }

        if (prefix.Count > names.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (!SameRdn(names[i], prefix[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The most values one RDN may hold to be compared: a multi-valued RDN is compared as a set, and a hostile one of
    /// thousands of values would cost a square of that on every handshake. Real names hold one or two.</summary>
    public const int MaxValuesPerRdn = 16;

    /// <summary>How many attributes the encoded Name holds (0 when it does not parse): what comparing it costs.</summary>
    public static int AttributeCount(ReadOnlyMemory<byte> name)
    {
        try
        {
            var count = 0;
            var sequence = new AsnReader(name, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var set = sequence.ReadSetOf();
                while (set.HasData)
                {
                    set.ReadEncodedValue();
                    count++;
                }
            }

            return count;
        }
        catch (AsnContentException)
        {
            return 0;
        }
    }

    /// <summary>The values of the attributes of type <paramref name="oid"/> that are IA5Strings (as emailAddress is); null
    /// when the Name cannot be read (then it cannot be checked either).</summary>
    public static List<string>? Ia5Values(ReadOnlyMemory<byte> name, string oid)
    {
        if (Read(name) is not { } rdns)
        {
            return null;
        }

        var values = new List<string>();
        foreach (var rdn in rdns)
        {
            foreach (var (type, value) in rdn)
            {
                if (type == oid && Text(value) is { } text)
                {
                    values.Add(text);
                }
            }
        }

        return values;
    }

    private static List<List<(string Type, ReadOnlyMemory<byte> Value)>>? Read(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var outer = new AsnReader(encoded, AsnEncodingRules.DER);
            var sequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var rdns = new List<List<(string, ReadOnlyMemory<byte>)>>();
            while (sequence.HasData)
            {
                var set = sequence.ReadSetOf();
                var rdn = new List<(string, ReadOnlyMemory<byte>)>();
                while (set.HasData)
                {
                    var attribute = set.ReadSequence();
                    var type = attribute.ReadObjectIdentifier();
                    var value = attribute.ReadEncodedValue();
                    attribute.ThrowIfNotEmpty();
                    rdn.Add((type, value));
                }

                if (rdn.Count is 0 or > MaxValuesPerRdn)
                {
                    return null;
                }

                rdns.Add(rdn);
            }

            return rdns;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static bool SameRdn(List<(string Type, ReadOnlyMemory<byte> Value)> left, List<(string Type, ReadOnlyMemory<byte> Value)> right) =>
        left.Count == right.Count
        && left.All(l => right.Any(r => l.Type == r.Type && SameValue(l.Value, r.Value)))
        && right.All(r => left.Any(l => l.Type == r.Type && SameValue(l.Value, r.Value)));

    private static bool SameValue(ReadOnlyMemory<byte> left, ReadOnlyMemory<byte> right)
    {
        if (left.Span.SequenceEqual(right.Span))
        {
            return true;
        }

        return Text(left) is { } a && Text(right) is { } b && string.Equals(Fold(a), Fold(b), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The text of a directory string value; null for other types or malformed ones.</summary>
    private static string? Text(ReadOnlyMemory<byte> value)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            var tag = reader.PeekTag();
            if (tag.TagClass != TagClass.Universal)
            {
                return null;
            }

            var text = (UniversalTagNumber)tag.TagValue switch
            {
                UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String or UniversalTagNumber.VisibleString
                    or UniversalTagNumber.BMPString or UniversalTagNumber.T61String =>
                    reader.ReadCharacterString((UniversalTagNumber)tag.TagValue),
                _ => null,
            };
            reader.ThrowIfNotEmpty();
            return text;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.AsSpan().Trim(' '))
        {
            if (c != ' ' || folded.Length == 0 || folded[^1] != ' ')
            {
                folded.Append(c);
            }
        }

        return folded.ToString().ToUpperInvariant();
    }
}
