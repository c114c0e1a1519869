using System.Globalization;
using System.Text;

namespace PrivateCa.Trust.Internal.Names;

/// <summary>
/// The ICANN section of the Public Suffix List, embedded at build time (Data/public_suffix_list.dat; its version is in
/// the README). The CA/Browser Forum's Baseline Requirements (§3.2.2.6) read only that section for wildcard issuance;
/// the PRIVATE section (hosting providers) is left out, as Chromium does for certificates. Read once, on first use.
/// </summary>
internal sealed class PublicSuffixList
{
    /// <summary>The manifest name of the embedded list.</summary>
    public const string ResourceName = "PrivateCa.public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixList> Embedded = new(Load);

    private readonly HashSet<string> _rules;
    private readonly HashSet<string> _wildcardParents;
    private readonly HashSet<string> _exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcardParents, HashSet<string> exceptions)
    {
        _rules = rules;
        _wildcardParents = wildcardParents;
        _exceptions = exceptions;
    }

    public static PublicSuffixList Instance => Embedded.Value;

    /// <summary>How many ICANN rules were read (normal, wildcard and exception).</summary>
    public int Count => _rules.Count + _wildcardParents.Count + _exceptions.Count;

    /// <summary>Whether <paramref name="domain"/> (ASCII, IDNs as A-labels) is itself a public suffix by an explicit ICANN rule.</summary>
    public bool IsPublicSuffix(string domain)
    {
        var name = domain.ToLowerInvariant();
        if (_exceptions.Contains(name))
        {
            return false;
        }

        if (_rules.Contains(name))
        {
            return true;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _wildcardParents.Contains(name[(dot + 1)..]);
    }

    /// <summary>Reads the list's text: only between the ICANN section's markers, rules as A-labels.</summary>
    public static PublicSuffixList Parse(TextReader text)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcardParents = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        var idn = new IdnMapping();
        var inIcann = false;
        while (text.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("// ===BEGIN ICANN DOMAINS===", StringComparison.Ordinal))
            {
                inIcann = true;
                continue;
            }

            if (trimmed.StartsWith("// ===END ICANN DOMAINS===", StringComparison.Ordinal))
            {
                break;
            }

            if (!inIcann || trimmed.Length == 0 || trimmed.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var rule = trimmed.Split(' ', '\t')[0];
            var exception = rule.StartsWith('!');
            var wildcard = rule.StartsWith("*.", StringComparison.Ordinal);
            var body = exception ? rule[1..] : wildcard ? rule[2..] : rule;
            string ascii;
            try
            {
                ascii = (Ascii.IsValid(body) ? body : idn.GetAscii(body)).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                // A rule that is not a valid IDN cannot match a valid dNSName.
                continue;
            }

            (exception ? exceptions : wildcard ? wildcardParents : rules).Add(ascii);
        }

        return new PublicSuffixList(rules, wildcardParents, exceptions);
    }

    private static PublicSuffixList Load()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the PrivateCa assembly; the build is broken.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
