using System.Globalization;
using System.Net;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// Which hosts the bundle applies to: exact DNS names, <c>*.suffix</c> (any name below the suffix, not the suffix
/// itself) and IP addresses. Empty means every host.
/// </summary>
internal sealed class HostScope
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = false };
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];
    private readonly HashSet<IPAddress> _addresses = [];

    public HostScope(IEnumerable<string> patterns)
    {
        Patterns = [.. patterns];
        foreach (var raw in Patterns)
        {
            if (Read(raw, out var pattern, out var address) is { } problem)
            {
                throw new ArgumentException($"PrivateCa: {problem}", nameof(patterns));
            }

            if (address is not null)
            {
                _addresses.Add(Canonical(address));
            }
            else if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                _suffixes.Add(pattern[1..]);
            }
            else
            {
                _names.Add(pattern);
            }
        }

        IsEverything = _names.Count == 0 && _suffixes.Count == 0 && _addresses.Count == 0;
    }

    /// <summary>The patterns as given, for messages.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>What is wrong with one pattern, or null when it is a DNS name, a wildcard over a domain or an IP address (for validation, which builds nothing).</summary>
    public static string? Problem(string? raw) => Read(raw, out _, out _);

    /// <summary>One pattern in the form the handshake carries (IDNA), and its address when it is one; or what is wrong with it.</summary>
    private static string? Read(string? raw, out string pattern, out IPAddress? address)
    {
        address = null;
        pattern = raw?.Trim().TrimEnd('.') ?? string.Empty;
        if (!System.Text.Ascii.IsValid(pattern))
        {
            try
            {
                pattern = pattern.StartsWith("*.", StringComparison.Ordinal) ? "*." + Idn.GetAscii(pattern[2..]) : Idn.GetAscii(pattern);
            }
            catch (ArgumentException)
            {
                return $"the host pattern '{raw}' in Hosts has non-ASCII characters that are not a valid internationalized domain name (IDNA). Write the name in its punycode form ('xn--…'), as the TLS handshake carries it.";
            }
        }

        if (IPAddress.TryParse(pattern.Trim('[', ']'), out var parsed) && !pattern.Contains('*', StringComparison.Ordinal))
        {
            address = parsed;
            return null;
        }

        var valid = pattern.StartsWith("*.", StringComparison.Ordinal)
            ? IsDnsName(pattern[2..]) && pattern[2..].Contains('.', StringComparison.Ordinal)
            : IsDnsName(pattern);
        return valid
            ? null
            : $"the host pattern '{raw}' in Hosts is not a DNS name ('model.internal'), a wildcard over a domain ('*.corp.example') or an IP address ('10.0.0.7'). Give host names only, without scheme, port or path.";
    }

    /// <summary>True when no pattern was given: every host is in scope.</summary>
    public bool IsEverything { get; }

    public bool Contains(string host)
    {
        if (IsEverything)
        {
            return true;
        }

        var name = ToAscii(host).TrimEnd('.');
        if (IPAddress.TryParse(name.Trim('[', ']'), out var address))
        {
            return _addresses.Contains(Canonical(address));
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

    /// <summary>One form per address, as Go's netip compares them: an IPv4-mapped IPv6 address is its IPv4 address, and the
    /// zone (fe80::1%eth0) is not part of it, so no spelling of a listed address falls outside Hosts.</summary>
    private static IPAddress Canonical(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
    }

    /// <summary>A host name as the handshake carries it: Unicode labels in their IDNA (punycode) form; the name itself when it is
    /// ASCII already or is not a valid IDN (it then matches nothing).</summary>
    public static string ToAscii(string host)
    {
        if (System.Text.Ascii.IsValid(host))
        {
            return host;
        }

        try
        {
            return Idn.GetAscii(host);
        }
        catch (ArgumentException)
        {
            return host;
        }
    }

    private static bool IsDnsName(string name) => Uri.CheckHostName(name) == UriHostNameType.Dns;
}
