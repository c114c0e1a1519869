using System.Collections.Frozen;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// The bundle's CA certificates, looked up by subject name and subject key identifier, so a handshake
/// hands the chain engine the few candidates that can issue the presented chain rather than every anchor.
/// </summary>
internal sealed class BundleIndex
{
    private static readonly CertificateEntry[] None = [];
    private readonly FrozenDictionary<string, CertificateEntry[]> _bySubject;
    private readonly FrozenDictionary<string, CertificateEntry[]> _byKeyId;

    public BundleIndex(IReadOnlyList<CertificateEntry> entries)
    {
        _bySubject = entries
            .GroupBy(e => Key(e.Facts.Subject.Span), StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _byKeyId = entries
            .Where(e => !e.Facts.SubjectKeyIdentifier.IsEmpty)
            .GroupBy(e => Key(e.Facts.SubjectKeyIdentifier.Span), StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Certificates whose subject is exactly this encoded name.</summary>
    public IReadOnlyList<CertificateEntry> BySubject(ReadOnlySpan<byte> encodedName) =>
        _bySubject.GetValueOrDefault(Key(encodedName)) ?? None;

    /// <summary>Certificates whose subject key identifier is this one.</summary>
    public IReadOnlyList<CertificateEntry> ByKeyIdentifier(ReadOnlySpan<byte> keyIdentifier) =>
        keyIdentifier.IsEmpty ? None : _byKeyId.GetValueOrDefault(Key(keyIdentifier)) ?? None;

    private static string Key(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);
}
