namespace PrivateCa.Bundle.Internal;

/// <summary>One PEM block located in text: its label, 1-based BEGIN line, and the span from BEGIN marker to END marker.</summary>
internal readonly record struct PemBlock(string Label, int Line, int Start, int Length);

/// <summary>
/// Finds PEM blocks line by line, so every block and every error has a line number. Text outside
/// blocks (certifi's "# Issuer:" comments, blank lines) is ignored; a BEGIN without its END, or an
/// END without its BEGIN, is an error rather than something to skip over.
/// </summary>
internal static class PemScanner
{
    private const string BeginPrefix = "-----BEGIN ";
    private const string EndPrefix = "-----END ";
    private const string Dashes = "-----";

    /// <summary>Calls <paramref name="onBlock"/> for each block; calls <paramref name="onError"/> (line, reason) for a broken marker, which ends the scan.</summary>
    /// <returns>How many blocks were found.</returns>
    public static int Scan(string text, Action<PemBlock> onBlock, Action<int, string> onError)
    {
        var position = 0;
        var lineNumber = 0;
        var blocks = 0;
        PemBlock? open = null;
        var openStart = 0;
        while (position < text.Length)
        {
            var newline = text.IndexOf('\n', position);
            var lineEnd = newline < 0 ? text.Length : newline;
            lineNumber++;
            var raw = text.AsSpan(position, lineEnd - position);
            var line = raw.Trim();
            var lineStart = position + (raw.Length - raw.TrimStart().Length);
            position = newline < 0 ? text.Length : newline + 1;

            if (line.StartsWith(BeginPrefix, StringComparison.Ordinal))
            {
                if (open is { } unterminated)
                {
                    onError(unterminated.Line, $"the '{unterminated.Label}' block that starts here has no END line before the BEGIN on line {lineNumber}");
                    return blocks;
                }

                if (!line.EndsWith(Dashes, StringComparison.Ordinal) || line.Length < BeginPrefix.Length + Dashes.Length)
                {
                    onError(lineNumber, "the BEGIN line is not of the form '-----BEGIN LABEL-----'");
                    return blocks;
                }

                open = new PemBlock(line[BeginPrefix.Length..^Dashes.Length].ToString(), lineNumber, 0, 0);
                openStart = lineStart;
            }
            else if (line.StartsWith(EndPrefix, StringComparison.Ordinal))
            {
                if (open is not { } block)
                {
                    onError(lineNumber, "an END line with no BEGIN line before it");
                    return blocks;
                }

                var endLabel = line.EndsWith(Dashes, StringComparison.Ordinal) && line.Length >= EndPrefix.Length + Dashes.Length
                    ? line[EndPrefix.Length..^Dashes.Length].ToString()
                    : null;
                if (endLabel != block.Label)
                {
                    onError(block.Line, $"the '{block.Label}' block that starts here ends with '{line}' on line {lineNumber}");
                    return blocks;
                }

                onBlock(block with { Start = openStart, Length = lineStart + line.Length - openStart });
                blocks++;
                open = null;
            }
        }

        if (open is { } last)
        {
            onError(last.Line, $"the '{last.Label}' block that starts here has no END line (the file ends first; was it cut short?)");
        }

        return blocks;
    }
}
