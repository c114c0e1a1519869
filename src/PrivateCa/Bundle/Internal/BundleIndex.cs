namespace PrivateCa.Bundle.Internal;

/// <summary>
/// The bundle's certificates looked up by encoded subject name and by subject key identifier, so a handshake
/// hands the chain engine the few candidates that can issue the presented chain rather than every anchor.
/// Lookups take spans and allocate nothing.
/// </summary>
internal sealed class BundleIndex
{
    private static readonly CertificateEntry[] None = [];
    private readonly Dictionary<ReadOnlyMemory<byte>, CertificateEntry[]>.AlternateLookup<ReadOnlySpan<byte>> _bySubject;
    private readonly Dictionary<ReadOnlyMemory<byte>, CertificateEntry[]>.AlternateLookup<ReadOnlySpan<byte>> _byKeyId;

    public BundleIndex(IReadOnlyList<CertificateEntry> entries)
    {
        _bySubject = Group(entries, e => e.Facts.Subject).GetAlternateLookup<ReadOnlySpan<byte>>();
        _byKeyId = Group(entries, e => e.Facts.SubjectKeyIdentifier).GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Certificates whose subject is exactly this encoded name.</summary>
    public IReadOnlyList<CertificateEntry> BySubject(ReadOnlySpan<byte> encodedName) =>
        _bySubject.TryGetValue(encodedName, out var found) ? found : None;

    /// <summary>Certificates whose subject key identifier is this one.</summary>
    public IReadOnlyList<CertificateEntry> ByKeyIdentifier(ReadOnlySpan<byte> keyIdentifier) =>
        _byKeyId.TryGetValue(keyIdentifier, out var found) ? found : None;

    private static Dictionary<ReadOnlyMemory<byte>, CertificateEntry[]> Group(IReadOnlyList<CertificateEntry> entries, Func<CertificateEntry, ReadOnlyMemory<byte>> key)
    {
        var groups = new Dictionary<ReadOnlyMemory<byte>, CertificateEntry[]>(entries.Count, ByteSequenceComparer.Instance);
        foreach (var entry in entries)
        {
            var k = key(entry);
            if (k.IsEmpty)
            {
                continue;
            }

            groups[k] = groups.TryGetValue(k, out var existing) ? [.. existing, entry] : [entry];
        }

        return groups;
    }
}
