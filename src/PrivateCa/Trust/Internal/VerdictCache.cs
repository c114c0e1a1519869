using System.Buffers;
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
    private readonly ConcurrentDictionary<ReadOnlyMemory<byte>, Entry>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    private int _added;

    public VerdictCache() => _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();

    /// <summary>The lookup of every handshake: the key is written into a pooled buffer, so a hit allocates nothing.</summary>
    public bool IsTrusted(TrustSnapshot snapshot, string host, X509Certificate2 leaf, X509Certificate2Collection? presented, DateTimeOffset now)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(KeyLength(host, leaf, presented));
        try
        {
            var key = WriteKey(buffer, host, leaf, presented);
            return _bySpan.TryGetValue(key, out var entry)
                && ReferenceEquals(entry.Snapshot, snapshot)
                && now >= entry.ValidFrom && now <= entry.ValidTo && now < entry.Expires;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Add(TrustSnapshot snapshot, string host, X509Certificate2 leaf, X509Certificate2Collection? presented, DateTimeOffset validFrom, DateTimeOffset validTo, DateTimeOffset now)
    {
        // A counter, not ConcurrentDictionary.Count, which takes every lock.
        if (Interlocked.Increment(ref _added) > MaxEntries)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _added, 1);
        }

        var key = new byte[KeyLength(host, leaf, presented)];
        WriteKey(key, host, leaf, presented);
        _entries[key] = new Entry(snapshot, validFrom, validTo, now + Lifetime);
    }

    private static int KeyLength(string host, X509Certificate2 leaf, X509Certificate2Collection? presented)
    {
        var length = 4 + Encoding.UTF8.GetByteCount(host) + 4 + leaf.RawDataMemory.Length;
        if (presented is not null)
        {
            foreach (var certificate in presented)
            {
                length += 4 + certificate.RawDataMemory.Length;
            }
        }

        return length;
    }

    /// <summary>Host, then each certificate's DER, each with its length: equality compares every byte, so no collision can alias.</summary>
    private static ReadOnlySpan<byte> WriteKey(Span<byte> destination, string host, X509Certificate2 leaf, X509Certificate2Collection? presented)
    {
        var span = destination;
        var hostLength = Encoding.UTF8.GetBytes(host, span[4..]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(span, hostLength);
        span = span[(4 + hostLength)..];
        Append(ref span, leaf.RawDataMemory.Span);
        if (presented is not null)
        {
            foreach (var certificate in presented)
            {
                Append(ref span, certificate.RawDataMemory.Span);
            }
        }

        return destination[..(destination.Length - span.Length)];
    }

    private static void Append(ref Span<byte> span, ReadOnlySpan<byte> data)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(span, data.Length);
        data.CopyTo(span[4..]);
        span = span[(4 + data.Length)..];
    }

    private sealed record Entry(TrustSnapshot Snapshot, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, DateTimeOffset Expires);
}
