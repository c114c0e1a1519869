using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PrivateCa.Bundle.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// Remembers chains the engine trusted, as Chromium's CachingCertVerifier does: new connections to the same server
/// present the same bytes, and the verdict is a pure function of those bytes, the host and the trust snapshot when
/// revocation is not checked. An entry counts only for the same snapshot (a rotation starts afresh), only while
/// every certificate of the chain is within its validity period, and for at most <see cref="Lifetime"/>.
/// Rejections are never cached.
/// </summary>
internal sealed class VerdictCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private const int MaxEntries = 1024;
    private readonly ConcurrentDictionary<ReadOnlyMemory<byte>, Entry> _entries = new(ByteSequenceComparer.Instance);

    public bool IsTrusted(TrustSnapshot snapshot, string host, X509Certificate2 leaf, X509Certificate2Collection? presented, DateTimeOffset now) =>
        _entries.TryGetValue(Key(host, leaf, presented), out var entry)
        && ReferenceEquals(entry.Snapshot, snapshot)
        && now >= entry.ValidFrom && now <= entry.ValidTo && now < entry.Expires;

    public void Add(TrustSnapshot snapshot, string host, X509Certificate2 leaf, X509Certificate2Collection? presented, DateTimeOffset validFrom, DateTimeOffset validTo, DateTimeOffset now)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[Key(host, leaf, presented)] = new Entry(snapshot, validFrom, validTo, now + Lifetime);
    }

    private static byte[] Key(string host, X509Certificate2 leaf, X509Certificate2Collection? presented)
    {
        // Host, then each certificate's DER, each with its length: equality compares every byte, so no collision can alias.
        var hostBytes = Encoding.UTF8.GetBytes(host);
        var length = 4 + hostBytes.Length + 4 + leaf.RawDataMemory.Length;
        if (presented is not null)
        {
            foreach (var certificate in presented)
            {
                length += 4 + certificate.RawDataMemory.Length;
            }
        }

        var key = new byte[length];
        var span = key.AsSpan();
        Append(ref span, hostBytes);
        Append(ref span, leaf.RawDataMemory.Span);
        if (presented is not null)
        {
            foreach (var certificate in presented)
            {
                Append(ref span, certificate.RawDataMemory.Span);
            }
        }

        return key;
    }

    private static void Append(ref Span<byte> span, ReadOnlySpan<byte> data)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(span, data.Length);
        data.CopyTo(span[4..]);
        span = span[(4 + data.Length)..];
    }

    private sealed record Entry(TrustSnapshot Snapshot, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, DateTimeOffset Expires);
}
