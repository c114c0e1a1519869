using System.Globalization;
using System.Text;

namespace PrivateCa.X509.Internal;

/// <summary>
/// Text taken from a certificate (a subject, a subjectAltName), a file name or a configuration value, made safe to write into
/// a message or a log line: control, line-separator and format characters (bidirectional overrides, and the invisible tag
/// characters beyond U+FFFF) become <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\uXXXX</c> or <c>\u{XXXXX}</c>, and a lone surrogate
/// becomes <c>\uXXXX</c>, so a name cannot forge a log line or hide or reorder what a reader sees. A backslash is left as it
/// is, so Windows paths stay readable.
/// </summary>
internal static class NameText
{
    /// <summary>How long a name from a certificate may be in a message: a subject of thousands of characters (each control
    /// character six once escaped) would otherwise make every message and log line that quotes it as long.</summary>
    public const int MaxNameLength = 256;

    /// <summary>How long a whole message built from input may be (a source name or path handed in by a caller is not cut
    /// on its own).</summary>
    public const int MaxMessageLength = 16 * 1024;

    /// <summary>The text with every unsafe character escaped; the same instance when there is none.</summary>
    public static string Escape(string? text) => Escape(text, int.MaxValue);

    /// <summary>A name escaped and cut to <see cref="MaxNameLength"/> characters, ending in "…" when cut.</summary>
    public static string Name(string? text) => Escape(text, MaxNameLength);

    /// <summary>The text escaped and cut to at most <paramref name="maxLength"/> characters plus "…", never inside an escape.</summary>
    public static string Escape(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var i = 0;
        while (i < text.Length && i < maxLength && IsPlain(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8).Append(text, 0, i);
        Span<char> piece = stackalloc char[12];
        while (i < text.Length)
        {
            var length = Piece(text, i, piece, out var consumed);
            if (builder.Length + length > maxLength)
            {
                return builder.Append('…').ToString();
            }

            builder.Append(piece[..length]);
            i += consumed;
        }

        return builder.ToString();
    }

    /// <summary>Writes the text for the character (or surrogate pair) at <paramref name="index"/>; returns its length.</summary>
    private static int Piece(string text, int index, Span<char> piece, out int consumed)
    {
        var status = Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out consumed);
        if (status != System.Buffers.OperationStatus.Done)
        {
            consumed = 1;
            return Hex(piece, text[index], braces: false);
        }

        if (!NeedsEscape(rune))
        {
            return rune.EncodeToUtf16(piece);
        }

        switch (rune.Value)
        {
            case '\n': "\\n".CopyTo(piece); return 2;
            case '\r': "\\r".CopyTo(piece); return 2;
            case '\t': "\\t".CopyTo(piece); return 2;
            default: return Hex(piece, rune.Value, braces: rune.IsBmp is false);
        }
    }

    private static int Hex(Span<char> piece, int value, bool braces)
    {
        var text = braces
            ? string.Create(CultureInfo.InvariantCulture, $"\\u{{{value:X}}}")
            : string.Create(CultureInfo.InvariantCulture, $"\\u{value:X4}");
        text.CopyTo(piece);
        return text.Length;
    }

    /// <summary>A character that is written as it is without looking further: not a surrogate and not unsafe.</summary>
    private static bool IsPlain(char c) => !char.IsSurrogate(c) && !NeedsEscape(new Rune(c));

    /// <summary>Control, line and paragraph separators, and format characters except the zero-width (non-)joiner, which
    /// Persian, Indic and emoji names need and which neither break a line nor reorder text.</summary>
    private static bool NeedsEscape(Rune rune) =>
        Rune.IsControl(rune)
        || (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            && rune.Value is not (0x200C or 0x200D));
}
