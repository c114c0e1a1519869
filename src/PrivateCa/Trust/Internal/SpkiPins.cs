using System.Security.Cryptography;

namespace PrivateCa.Trust.Internal;

/// <summary>SHA-256 pins of SubjectPublicKeyInfo, as curl's --pinnedpubkey and HPKP write them.</summary>
internal sealed class SpkiPins
{
    private readonly List<byte[]> _pins = [];

    public SpkiPins(IEnumerable<string> pins)
    {
        foreach (var raw in pins)
        {
            if (!TryParse(raw, out var pin))
            {
                throw new ArgumentException($"PrivateCa: {Problem(raw)}", nameof(pins));
            }

            _pins.Add(pin);
        }
    }

    /// <summary>Reads one pin: base64 of a 32-byte SHA-256, with or without curl's <c>sha256//</c> prefix.</summary>
    public static bool TryParse(string? raw, out byte[] pin)
    {
        var text = raw?.Trim() ?? string.Empty;
        if (text.StartsWith("sha256//", StringComparison.OrdinalIgnoreCase))
        {
            text = text["sha256//".Length..];
        }

        var bytes = new byte[48];
        var ok = Convert.TryFromBase64String(text, bytes, out var written) && written == 32;
        pin = ok ? bytes[..32] : [];
        return ok;
    }

    public static string Problem(string? raw) =>
        $"the pin '{raw}' in PinnedSpkiSha256 is not the base64 of a 32-byte SHA-256. Compute it with: openssl x509 -in server.pem -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64";

    public int Count => _pins.Count;

    public bool IsEmpty => _pins.Count == 0;

    public bool Matches(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(subjectPublicKeyInfo, hash);
        foreach (var pin in _pins)
        {
            if (hash.SequenceEqual(pin))
            {
                return true;
            }
        }

        return false;
    }

    public static string Of(ReadOnlySpan<byte> subjectPublicKeyInfo) => Convert.ToBase64String(SHA256.HashData(subjectPublicKeyInfo));
}
