using System.Formats.Asn1;

namespace PrivateCa.Trust.Internal.Names;

/// <summary>A nameConstraints extension value (RFC 5280 §4.2.1.10), read once: its permitted and excluded subtrees.</summary>
internal sealed class NameConstraintsValue
{
    private static readonly Asn1Tag PermittedTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag ExcludedTag = new(TagClass.ContextSpecific, 1, isConstructed: true);

    private NameConstraintsValue(List<GeneralName> permitted, List<GeneralName> excluded)
    {
        Permitted = permitted;
        Excluded = excluded;
    }

    public IReadOnlyList<GeneralName> Permitted { get; }

    public IReadOnlyList<GeneralName> Excluded { get; }

    /// <summary>The same constraints with only the subtrees <paramref name="keep"/> accepts.</summary>
    public NameConstraintsValue Where(Func<GeneralName, bool> keep) => new([.. Permitted.Where(keep)], [.. Excluded.Where(keep)]);

    /// <summary>Whether any permitted or excluded subtree is of the given form.</summary>
    public bool Constrains(GeneralNameType type) => Permitted.Any(p => p.Type == type) || Excluded.Any(e => e.Type == type);

    /// <summary>Reads the extension value; on failure <paramref name="problem"/> says what is wrong and the result is null.</summary>
    public static NameConstraintsValue? TryParse(ReadOnlyMemory<byte> value, out string? problem)
    {
        var permitted = new List<GeneralName>();
        var excluded = new List<GeneralName>();
        try
        {
            var outer = new AsnReader(value, AsnEncodingRules.DER);
            var sequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            if (sequence.HasData && sequence.PeekTag() == PermittedTag && !TryReadSubtrees(sequence.ReadSequence(PermittedTag), permitted, out problem))
            {
                return null;
            }

            if (sequence.HasData && sequence.PeekTag() == ExcludedTag && !TryReadSubtrees(sequence.ReadSequence(ExcludedTag), excluded, out problem))
            {
                return null;
            }

            if (sequence.HasData)
            {
                problem = "it holds something other than permittedSubtrees and excludedSubtrees";
                return null;
            }
        }
        catch (AsnContentException ex)
        {
            problem = $"it does not parse ({ex.Message})";
            return null;
        }

        if (permitted.Count == 0 && excluded.Count == 0)
        {
            problem = "it has neither permitted nor excluded subtrees";
            return null;
        }

        problem = null;
        return new NameConstraintsValue(permitted, excluded);
    }

    private static bool TryReadSubtrees(AsnReader subtrees, List<GeneralName> into, out string? problem)
    {
        if (!subtrees.HasData)
        {
            problem = "a list of subtrees is empty";
            return false;
        }

        while (subtrees.HasData)
        {
            var subtree = subtrees.ReadSequence();
            if (GeneralNameReader.Read(subtree) is not { } name)
            {
                problem = "a subtree's base is not a well-formed GeneralName";
                return false;
            }

            // RFC 5280: minimum MUST be zero (so absent in DER) and maximum MUST be absent.
            if (subtree.HasData)
            {
                problem = $"the subtree {name} has a minimum or maximum, which RFC 5280 forbids";
                return false;
            }

            into.Add(name);
        }

        problem = null;
        return true;
    }
}
