namespace PrivateCa.X509.Internal;

/// <summary>
/// dNSName syntax and subtree matching with the WebPKI reading of RFC 5280: ASCII only (IDNs as A-labels, compared as
/// written), case-insensitive, label by label; a constraint with a leading dot means strict subdomains only.
/// </summary>
internal static class DnsName
{
    /// <summary>Why <paramref name="name"/> is not a valid presented dNSName (LDH labels, no empty label, at most 63 octets a
    /// label and 253 in all, no trailing dot, a wildcard only as the whole leftmost label with two labels after it); null when it is valid.</summary>
    public static string? SyntaxProblem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name.Length > 253)
        {
            return $"it is {name.Length} characters long; at most 253 are allowed";
        }

        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*")
            {
                if (labels.Length < 3)
                {
                    return "a wildcard needs at least two labels after it";
                }

                continue;
            }

            if (label.Length == 0)
            {
                return i == labels.Length - 1 ? "it ends with a dot" : "it has an empty label";
            }

            if (label.Contains('*', StringComparison.Ordinal))
            {
                return "it has a wildcard that is not the whole leftmost label";
            }

            if (label.Length > 63)
            {
                return $"its label '{label[..16]}…' is {label.Length} characters long; at most 63 are allowed";
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return $"its label '{label}' holds '{c}'; only letters, digits and hyphens are allowed";
                }
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return $"its label '{label}' starts or ends with a hyphen";
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="name"/> is not in the preferred name syntax RFC 5280 §4.2.1.6 requires of every dNSName, as every
    /// profile reads it: not empty, no empty label, no trailing dot (an absolute name another verifier compares differently
    /// with a constraint or a host), only letters, digits, hyphens, dots, '*' and — because internal names use it and the
    /// TLS layer matches it — '_'. <see cref="SyntaxProblem"/> is the stricter WebPKI rule of the Strict profile.
    /// </summary>
    public static string? PreferredSyntaxProblem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name.Length > 253)
        {
            return $"it is {name.Length} characters long; at most 253 are allowed";
        }

        if (name[^1] == '.')
        {
            return "it ends with a dot; RFC 5280 §4.2.1.6 allows no absolute name, and a verifier could judge 'name.' and 'name' as different names";
        }

        if (name[0] == '.' || name.Contains("..", StringComparison.Ordinal))
        {
            return "it has an empty label";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or '*'))
            {
                return $"it holds '{c}'; only letters, digits, hyphens, underscores, dots and a wildcard are allowed";
            }
        }

        return null;
    }

    /// <summary>Whether <see cref="InSubtree"/> can place the name: preferred syntax ('_' included, which Platform accepts),
    /// and a wildcard only as the whole leftmost label — otherwise what it stands for is unknown.</summary>
    public static bool IsComparable(string name) =>
        PreferredSyntaxProblem(name) is null && name.LastIndexOf('*') is -1 or 0 && (name[0] != '*' || name.StartsWith("*.", StringComparison.Ordinal));

    /// <summary>Why <paramref name="constraint"/> cannot be a dNSName subtree; null when it can (empty, a name, or a name after one dot).</summary>
    public static string? ConstraintProblem(string constraint)
    {
        var domain = constraint.StartsWith('.') ? constraint[1..] : constraint;
        if (constraint.Length == 0)
        {
            return null;
        }

        return domain.Contains('*', StringComparison.Ordinal) ? "it holds a wildcard" : SyntaxProblem(domain);
    }

    /// <summary>
    /// Whether <paramref name="name"/> (valid by <see cref="SyntaxProblem"/>) falls in the subtree <paramref name="constraint"/>.
    /// A wildcard name stands for every name it could match: it is inside a permitted subtree only when all of them are, and
    /// inside an excluded one (<paramref name="forExclusion"/>) when any of them is.
    /// </summary>
    public static bool InSubtree(string name, string constraint, bool forExclusion)
    {
        if (constraint.Length == 0)
        {
            return true;
        }

        var subdomainsOnly = constraint[0] == '.';
        var domain = subdomainsOnly ? constraint.AsSpan(1) : constraint.AsSpan();
        if (!name.StartsWith("*.", StringComparison.Ordinal))
        {
            return Within(name, domain, subdomainsOnly);
        }

        // '*.B' matches exactly the names one label under B.
        var wildcardBase = name.AsSpan(2);
        // Inside when B is the constrained domain or under it, with or without the leading dot: every x.B is then a strict subdomain.
        if (Within(wildcardBase, domain, subdomainsOnly: false))
        {
            return true;
        }

        // Excluded 'L.B' takes away one of the names '*.B' matches.
        return forExclusion && !subdomainsOnly && IsParent(wildcardBase, domain);
    }

    private static bool Within(ReadOnlySpan<char> name, ReadOnlySpan<char> domain, bool subdomainsOnly)
    {
        if (name.Equals(domain, StringComparison.OrdinalIgnoreCase))
        {
            return !subdomainsOnly;
        }

        return name.Length > domain.Length
            && name[^(domain.Length + 1)] == '.'
            && name[^domain.Length..].Equals(domain, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether <paramref name="child"/> is exactly one label under <paramref name="parent"/>.</summary>
    private static bool IsParent(ReadOnlySpan<char> parent, ReadOnlySpan<char> child)
    {
        var dot = child.IndexOf('.');
        return dot > 0 && child[(dot + 1)..].Equals(parent, StringComparison.OrdinalIgnoreCase);
    }
}
