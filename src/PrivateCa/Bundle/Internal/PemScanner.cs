using System.Buffers.Text;
using System.Text;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// Finds PEM blocks in UTF-8 bytes, so every block and every error has a line number. PemEncoding is not
/// used because it skips a damaged block silently and knows no lines. Text outside blocks (certifi's
/// "# Issuer:" comments, blank lines) is ignored; a BEGIN without its END, or an END without its BEGIN,
/// is an error rather than something to skip over. Markers are found with vectorised searches.
/// </summary>
internal static class PemScanner
{
    private static ReadOnlySpan<byte> Dashes => "-----"u8;

    private static ReadOnlySpan<byte> BeginPrefix => "-----BEGIN "u8;

    private static ReadOnlySpan<byte> EndPrefix => "-----END "u8;

    private const int MaxLabelLength = 64;

    private static ReadOnlySpan<byte> LineSpace => " \t\r"u8;

    public static PemScanResult Scan(ReadOnlySpan<byte> data)
    {
        var blocks = new List<PemBlock>();
        var position = 0;
        var line = 1;
        while (true)
        {
            var found = data[position..].IndexOf(Dashes);
            if (found < 0)
            {
                return new PemScanResult(blocks, null, null);
            }

            line += data.Slice(position, found).Count((byte)'\n');
            var (lineStart, lineEnd) = LineAround(data, position + found);
            var marker = data[lineStart..lineEnd].Trim(LineSpace);
            if (marker.StartsWith(EndPrefix))
            {
                return new PemScanResult(blocks, line, "an END line with no BEGIN line before it");
            }

            if (!marker.StartsWith(BeginPrefix))
            {
                // Dashes inside a comment line.
                position = lineEnd;
                continue;
            }

            if (Label(marker, BeginPrefix) is not { } label)
            {
                // Never echo the line: a private key written on one line would be in it.
                return new PemScanResult(blocks, line, LooksLikePrivateKey(marker)
                    ? "a private-key block (content not shown) whose BEGIN line is not of the form '-----BEGIN LABEL-----'; a private key does not belong in a trust bundle"
                    : "the BEGIN line is not of the form '-----BEGIN LABEL-----' (RFC 7468)");
            }

            var bodyStart = Math.Min(lineEnd + 1, data.Length);
            var next = data[bodyStart..].IndexOf(Dashes);
            if (next < 0)
            {
                return new PemScanResult(blocks, line, $"{Describe(label)} that starts here has no END line (the file ends first; was it cut short?)");
            }

            var endLine = line + 1 + data.Slice(bodyStart, next).Count((byte)'\n');
            var (endStart, endEnd) = LineAround(data, bodyStart + next);
            var end = data[endStart..endEnd].Trim(LineSpace);
            if (end.StartsWith(BeginPrefix))
            {
                return new PemScanResult(blocks, line, $"{Describe(label)} that starts here has no END line before the BEGIN on line {endLine}");
            }

            if (!end.StartsWith(EndPrefix) || Label(end, EndPrefix) != label)
            {
                // Described, never echoed: the line may hold key material glued to the END marker.
                return new PemScanResult(blocks, line, $"{Describe(label)} that starts here is not closed by a line '-----END {(IsPrivateKey(label) ? "…" : label)}-----' alone: line {endLine} {(end.StartsWith(EndPrefix) ? "ends another label" : "has text before the END marker")}");
            }

            blocks.Add(new PemBlock(label, line, bodyStart, Math.Max(0, endStart - bodyStart)));
            position = endEnd;
            line = endLine;
        }
    }

    /// <summary>Decodes a block body with .NET's base64 decoder; line by line when lines are whole quanta (the fast path), else in one go.</summary>
    public static byte[]? DecodeBody(ReadOnlySpan<byte> body)
    {
        var buffer = new byte[(body.Length * 3 / 4) + 3];
        var written = 0;
        var rest = body;
        while (!rest.IsEmpty)
        {
            var newline = rest.IndexOf((byte)'\n');
            var text = (newline < 0 ? rest : rest[..newline]).Trim(LineSpace);
            rest = newline < 0 ? default : rest[(newline + 1)..];
            var last = rest.Trim(" \t\r\n"u8).IsEmpty;
            if (text.IsEmpty && !last)
            {
                continue;
            }

            if ((!last && (text.Length % 4 != 0 || text.Contains((byte)'=')))
                || Base64.DecodeFromUtf8(text, buffer.AsSpan(written), out var consumed, out var lineWritten) != System.Buffers.OperationStatus.Done
                || consumed != text.Length)
            {
                return DecodeWhole(body);
            }

            written += lineWritten;
        }

        return written == 0 ? null : buffer.AsSpan(0, written).ToArray();
    }

    private static byte[]? DecodeWhole(ReadOnlySpan<byte> body)
    {
        var buffer = new byte[(body.Length * 3 / 4) + 3];
        var status = Base64.DecodeFromUtf8(body, buffer, out var consumed, out var written);
        return status == System.Buffers.OperationStatus.Done && consumed == body.Length && written > 0
            ? buffer.AsSpan(0, written).ToArray()
            : null;
    }

    private static (int Start, int End) LineAround(ReadOnlySpan<byte> data, int index)
    {
        var start = data[..index].LastIndexOf((byte)'\n') + 1;
        var end = data[index..].IndexOf((byte)'\n');
        return (start, end < 0 ? data.Length : index + end);
    }

    /// <summary>How messages name a block: by its label, except a private key, which is only ever "a private-key block".</summary>
    public static string Describe(string label) => IsPrivateKey(label) ? "a private-key block" : $"the '{label}' block";

    public static bool IsPrivateKey(string label) => label.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase);

    private static bool LooksLikePrivateKey(ReadOnlySpan<byte> line) => line.IndexOf("PRIVATE KEY"u8) >= 0;

    /// <summary>The label of a marker line, or null unless it is an RFC 7468 label: printable characters other than '-',
    /// with single spaces or hyphens between them, at most <see cref="MaxLabelLength"/> long.</summary>
    private static string? Label(ReadOnlySpan<byte> marker, ReadOnlySpan<byte> prefix)
    {
        if (!marker.EndsWith(Dashes) || marker.Length < prefix.Length + Dashes.Length)
        {
            return null;
        }

        var label = marker[prefix.Length..^Dashes.Length];
        if (label.Length > MaxLabelLength)
        {
            return null;
        }

        for (var i = 0; i < label.Length; i++)
        {
            var c = label[i];
            var separator = c is (byte)' ' or (byte)'-';
            if (separator ? i == 0 || i == label.Length - 1 || label[i - 1] is (byte)' ' or (byte)'-' : c is < 0x21 or > 0x7E)
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(label);
    }
}
