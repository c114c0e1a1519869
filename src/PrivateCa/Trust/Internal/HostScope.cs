using System.Net;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// Which hosts the bundle applies to: exact DNS names, <c>*.suffix</c> (any name below the suffix, not the suffix
/// itself) and IP addresses. Empty means every host.
/// </summary>
internal sealed class HostScope
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];
    private readonly HashSet<IPAddress> _addresses = [];

    public HostScope(IEnumerable<string> patterns)
    {
        Patterns = [.. patterns];
        foreach (var raw in Patterns)
        {
            var pattern = raw?.Trim().TrimEnd('.') ?? string.Empty;
            if (IPAddress.TryParse(pattern.Trim('[', ']'), out var address) && !pattern.Contains('*', StringComparison.Ordinal))
            {
                _addresses.Add(address);
            }
            else if (pattern.StartsWith("*.", StringComparison.Ordinal) && IsDnsName(pattern[2..]) && pattern[2..].Contains('.', StringComparison.Ordinal))
            {
                _suffixes.Add(pattern[1..]);
            }
            else if (IsDnsName(pattern))
            {
                _names.Add(pattern);
            }
            else
            {
                throw new ArgumentException(Problem(raw), nameof(patterns));
            }
        }

        IsEverything = _names.Count == 0 && _suffixes.Count == 0 && _addresses.Count == 0;
    }

    /// <summary>The patterns as given, for messages.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>What is wrong with one pattern, or null when it is a DNS name, a wildcard over a domain or an IP address.</summary>
    public static string? Problem(string? raw)
    {
        var pattern = raw?.Trim().TrimEnd('.') ?? string.Empty;
        var valid = (IPAddress.TryParse(pattern.Trim('[', ']'), out _) && !pattern.Contains('*', StringComparison.Ordinal))
            || (pattern.StartsWith("*.", StringComparison.Ordinal) && IsDnsName(pattern[2..]) && pattern[2..].Contains('.', StringComparison.Ordinal))
            || IsDnsName(pattern);
        return valid
            ? null
            : $"PrivateCa: the host pattern '{raw}' in Hosts is not a DNS name ('model.internal'), a wildcard over a domain ('*.corp.example') or an IP address ('10.0.0.7'). Give host names only, without scheme, port or path.";
    }

    /// <summary>True when no pattern was given: every host is in scope.</summary>
    public bool IsEverything { get; }

    public bool Contains(string host)
    {
        if (IsEverything)
        {
            return true;
        }

        var name = host.TrimEnd('.');
        if (IPAddress.TryParse(name.Trim('[', ']'), out var address))
        {
            return _addresses.Contains(address);
        }

        if (_names.Contains(name))
        {
            return true;
        }

        foreach (var suffix in _suffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDnsName(string name) => Uri.CheckHostName(name) == UriHostNameType.Dns;
}
