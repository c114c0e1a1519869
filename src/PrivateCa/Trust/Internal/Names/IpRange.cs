namespace PrivateCa.Trust.Internal.Names;

/// <summary>iPAddress name constraints (RFC 5280 §4.2.1.10): an address against an address-and-mask subtree.</summary>
internal static class IpRange
{
    /// <summary>
    /// For an exclusion, an IPv4 address and its IPv4-mapped IPv6 form (::ffff:a.b.c.d) are one address, as HostScope and
    /// the socket layer treat them: '::ffff:10.0.0.7' does not escape an exclusion of 10.0.0.0/8, nor 10.0.0.7 one written
    /// inside ::ffff:0:0/96 (OpenSSL and Go compare only same-length forms). A permission is never widened this way, and an
    /// IPv4 address is not in an IPv6 range that merely contains the mapped block (a CA excluding ::/0 still issues IPv4).
    /// </summary>
    public static bool? InSubtreeAnyForm(ReadOnlySpan<byte> address, ReadOnlySpan<byte> subtree, bool forExclusion)
    {
        if (InSubtree(address, subtree) is not { } direct)
        {
            return null;
        }

        if (direct || !forExclusion)
        {
            return direct;
        }

        ReadOnlySpan<byte> mappedPrefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF];
        if (address.Length == 16 && address.StartsWith(mappedPrefix) && subtree.Length == 8)
        {
            return InSubtree(address[12..], subtree);
        }

        if (address.Length == 4 && subtree.Length == 32 && subtree.StartsWith(mappedPrefix) && subtree.Slice(16, 12).IndexOfAnyExcept((byte)0xFF) < 0)
        {
            return InSubtree(address, [.. subtree.Slice(12, 4), .. subtree.Slice(28, 4)]);
        }

        return false;
    }

    private static bool? InSubtree(ReadOnlySpan<byte> address, ReadOnlySpan<byte> subtree)
    {
        if (address.Length is not (4 or 16))
        {
            return null;
        }

        // An IPv4 address is never in an IPv6 range, nor the reverse (IPv4-mapped addresses included).
        if (subtree.Length != address.Length * 2)
        {
            return false;
        }

        var network = subtree[..address.Length];
        var mask = subtree[address.Length..];
        for (var i = 0; i < address.Length; i++)
        {
            if ((address[i] & mask[i]) != (network[i] & mask[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static string? ConstraintProblem(ReadOnlySpan<byte> subtree)
    {
        if (subtree.Length is not (8 or 32))
        {
            return $"it is {subtree.Length} octets; an IPv4 range takes 8 and an IPv6 range 32";
        }

        // The mask must be a prefix: ones, then zeros.
        var mask = subtree[(subtree.Length / 2)..];
        var seenZero = false;
        foreach (var octet in mask)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                var one = ((octet >> bit) & 1) == 1;
                if (one && seenZero)
                {
                    return "its mask is not a contiguous prefix";
                }

                seenZero |= !one;
            }
        }

        return null;
    }
}
