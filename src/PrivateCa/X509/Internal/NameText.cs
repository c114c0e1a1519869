using System.Globalization;
using System.Text;

namespace PrivateCa.X509.Internal;

/// <summary>
/// Text taken from a certificate (a subject, a subjectAltName) made safe to write into a message or a log line:
/// control, line-separator and bidirectional-format characters become <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>,
/// so a name cannot forge a log line or reorder what a reader sees.
/// </summary>
internal static class NameText
{
    /// <summary>The text with every unsafe character escaped; the same instance when there is none.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var i = 0;
        while (i < text.Length && !NeedsEscape(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (NeedsEscape(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
