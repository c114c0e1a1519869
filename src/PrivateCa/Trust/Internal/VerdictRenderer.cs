using System.Globalization;
using System.Text;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The one place that writes a verdict in words: <see cref="TrustVerdict.Reason"/>, <see cref="TrustVerdict.Summary"/>,
/// <see cref="TrustVerdict.Fix"/>, the <see cref="CertificateTrustException"/> message and the rejection log. Every
/// argument (names from certificates, hosts, paths) passes through <see cref="Escape"/>, so a subject with a line feed
/// cannot forge a log line.
/// </summary>
internal static class VerdictRenderer
{
    /// <summary>How many presented certificates a rejection lists.</summary>
    public const int MaxPresentedShown = 10;

    /// <summary>The longest one argument may be once escaped: a server's subject of thousands of control characters would
    /// otherwise make every exception message and rejection log line of every handshake as long (ten names of
    /// <see cref="NameText.MaxNameLength"/> fit).</summary>
    public const int MaxArgumentLength = 4096;

    /// <summary>How many further problems the "Also:" line lists.</summary>
    public const int MaxAlsoShown = 10;

    /// <summary>The longest explanation (exception message) written.</summary>
    public const int MaxExplanationLength = 16 * 1024;

    /// <summary>A format with its arguments escaped.</summary>
    public static string Render(FormattableString text)
    {
        var arguments = text.GetArguments();
        if (arguments.Length == 0)
        {
            return text.Format.Contains('{', StringComparison.Ordinal) ? string.Format(CultureInfo.InvariantCulture, text.Format) : text.Format;
        }

        var escaped = new object?[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            escaped[i] = arguments[i] switch
            {
                string s => Escape(s),
                FormattableString nested => Render(nested),   // before IFormattable, which it also is: its arguments are escaped too
                IFormattable f => f,
                null => null,
                var other => Escape(other.ToString()),
            };
        }

        return string.Format(CultureInfo.InvariantCulture, text.Format, escaped);
    }

    /// <summary>Control and bidirectional-format characters escaped; see <see cref="NameText.Escape(string?, int)"/>.</summary>
    public static string Escape(string? text) => NameText.Escape(text, MaxArgumentLength);

    /// <summary>One sentence: the first problem, or how the chain was trusted.</summary>
    public static string Summary(VerdictFacts facts) => facts.IsTrusted ? Render($"trusted through {TrustedBy(facts)}") : facts.Problems[0].ReasonText;

    public static string Fix(VerdictFacts facts) => facts.IsTrusted ? string.Empty : facts.Problems[0].FixText;

    /// <summary>The full explanation: host (and port when known), presented chain, anchors tried, every problem and the fix.</summary>
    public static string Explain(VerdictFacts facts, int? port = null)
    {
        var host = port is int p ? $"{Escape(facts.Host)}:{p.ToString(CultureInfo.InvariantCulture)}" : Escape(facts.Host);
        if (facts.IsTrusted)
        {
            return $"PrivateCa trusted the certificate of {host} through {Render($"{TrustedBy(facts)}")}.";
        }

        var text = new StringBuilder();
        text.Append("PrivateCa rejected the certificate of ").Append(host).Append(": ").Append(facts.Problems[0].ReasonText).Append('.').AppendLine();
        if (facts.Presented is { } presented)
        {
            text.AppendLine("Presented chain:");
            // A hostile server can send hundreds of certificates: the message (and its log line) stays bounded.
            var shown = Math.Min(presented.Count, MaxPresentedShown);
            for (var i = 0; i < shown; i++)
            {
                text.Append("  [").Append(i).Append("] ").AppendLine(Describe(presented[i]));
            }

            if (presented.Count > shown)
            {
                text.Append("  … and ").Append(presented.Count - shown).AppendLine(" more certificates");
            }

            text.Append("Anchors tried: ");
            if (facts.ViaSystem)
            {
                text.Append("the system's trusted roots");
            }
            else if (facts.AnchorsTried.Count == 0)
            {
                text.Append(Render($"none of the {Anchors(facts.AnchorCount)} loaded from {facts.Sources} has the name of an issuer in this chain"));
            }
            else
            {
                text.AppendJoin(", ", facts.AnchorsTried.Select(a => Render($"'{NameText.Name(a.Subject)}' ({a.Source})")))
                    .Append(Render($", of the {Anchors(facts.AnchorCount)} loaded from {facts.Sources}"));
            }

            text.Append('.').AppendLine();
        }

        if (facts.Problems.Count > 1)
        {
            var more = facts.Problems.Count - 1 - MaxAlsoShown;
            text.Append("Also: ").AppendJoin("; ", facts.Problems.Skip(1).Take(MaxAlsoShown).Select(p => p.ReasonText));
            if (more > 0)
            {
                text.Append("; and ").Append(more).Append(" more problems");
            }

            text.Append('.').AppendLine();
        }

        text.Append("Fix: ").Append(facts.Problems[0].FixText);
        // Each part is bounded; this bounds the sum, whatever a server sends.
        return text.Length <= MaxExplanationLength ? text.ToString() : string.Concat(text.ToString(0, MaxExplanationLength), "…");
    }

    /// <summary>One presented certificate: subject, issuer, SHA-256 prefix and validity.</summary>
    public static string Describe(CertificateSummary certificate) =>
        Render($"'{NameText.Name(certificate.Subject)}' issued by '{NameText.Name(certificate.Issuer)}', SHA-256 {certificate.Sha256Hex[..16]}…, valid {certificate.NotBefore:yyyy-MM-dd HH:mm}Z to {certificate.NotAfter:yyyy-MM-dd HH:mm}Z");

    private static string TrustedBy(VerdictFacts facts) =>
        facts.ViaSystem ? "the system's trusted roots"
        : facts.Anchor is null ? "the bundle"
        : $"anchor '{NameText.Name(facts.Anchor.Subject)}' from {facts.Anchor.Source}";

    private static string Anchors(int count) => count == 1 ? "1 anchor" : $"{count} anchors";
}
