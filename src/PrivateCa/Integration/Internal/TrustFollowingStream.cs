using System.Net.Security;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Integration.Internal;

/// <summary>
/// The plaintext side of one pooled HTTP/1.1 connection, following trust after its handshake: before a request is written on
/// it, the connection's server is judged again if the client's trust changed since (a rotation, narrowed Hosts, another
/// Mode or Profile). If the new trust would refuse it, nothing is written: the connection reads as closed, so the pool
/// discards it and sends the request on a new connection, whose handshake is judged under the new trust. A response already
/// being read is never touched (HTTP/1.1 writes nothing while it reads one).
/// </summary>
internal sealed class TrustFollowingStream(Stream inner, ClientTrustSlot slot, SslStream tls) : Stream
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientTrust? _judgedBy;
    private TrustSnapshot? _judgedOn;

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>What each handshake of a PrivateCa SocketsHttpHandler was judged under, recorded by its validation callback
    /// (the snapshot read before the verdict: a swap in between reads as a change, and the connection is judged again).</summary>
    public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SslStream, Tuple<ClientTrust, TrustSnapshot?>> Verdicts = [];

    /// <summary>Wraps the plaintext stream of an HTTP/1.1 connection over <paramref name="tls"/>; other versions are left as they are.</summary>
    public static Stream Follow(Stream plaintext, SslStream? tls, Version version, ClientTrustSlot slot)
    {
        if (tls is null || version != System.Net.HttpVersion.Version11)
        {
            return plaintext;
        }

        var following = new TrustFollowingStream(plaintext, slot, tls);
        if (Verdicts.TryGetValue(tls, out var judged))
        {
            // Judged by this handler's callback; without a record (HttpClientHandler's callback has no stream) the first
            // request judges it.
            (following._judgedBy, following._judgedOn) = (judged.Item1, judged.Item2);
        }

        return following;
    }

    /// <summary>The trust and snapshot a verdict is about to be made under, for <see cref="Verdicts"/>.</summary>
    public static Tuple<ClientTrust, TrustSnapshot?> Current(ClientTrustSlot slot)
    {
        var trust = slot.Current;
        return Tuple.Create(trust, SnapshotOf(trust));
    }

    // Pooled: every read of a pooled connection passes here, and one that waits for the network would otherwise allocate.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_closed.Task.IsCompleted)
        {
            return 0;
        }

        try
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (_closed.Task.IsCompleted)
        {
            // The pool's read for the response of a request that was withheld: "closed" (not an error, which the pool
            // would not retry), so the request goes out again on a new connection.
            return 0;
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        StillTrusted() ? inner.WriteAsync(buffer, cancellationToken) : ValueTask.CompletedTask;

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return _closed.Task.IsCompleted ? 0 : inner.Read(buffer, offset, count);
        }
        catch (Exception) when (_closed.Task.IsCompleted)
        {
            return 0;
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (StillTrusted())
        {
            inner.Write(buffer, offset, count);
        }
    }

    public override void Flush()
    {
        if (!_closed.Task.IsCompleted)
        {
            inner.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _closed.Task.IsCompleted ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _closed.TrySetResult();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _closed.TrySetResult();
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Whether the connection's server is trusted under the trust in force; judged again only after a change.</summary>
    private bool StillTrusted()
    {
        if (_closed.Task.IsCompleted)
        {
            return false;
        }

        var trust = slot.Current;
        var snapshot = SnapshotOf(trust);
        if (ReferenceEquals(trust, _judgedBy) && ReferenceEquals(snapshot, _judgedOn))
        {
            return true;
        }

        if (Judge(trust))
        {
            (_judgedBy, _judgedOn) = (trust, snapshot);
            return true;
        }

        // Withheld: the request is not written, the pending check reads "closed", and the connection is dropped.
        _closed.TrySetResult();
        trust.ConnectionWithdrawn?.Invoke(tls.TargetHostName);
        inner.Dispose(); // ends the read pending on it
        return false;
    }

    private bool Judge(ClientTrust trust)
    {
        var host = tls.TargetHostName;
        return HandshakeInternals.JudgePeer(tls, tls.RemoteCertificate, (leaf, presented) =>
        {
            if (trust.Engine.Scope.Contains(host))
            {
                return trust.Engine.Judges(host, leaf, presented);
            }

            using var system = trust.Engine.EvaluateSystemOnly(leaf, presented, host, verificationTime: null);
            return system.IsTrusted;
        });
    }

    private static TrustSnapshot? SnapshotOf(ClientTrust trust)
    {
        try
        {
            return trust.Engine.Snapshot;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null; // no bundle loaded: the judge below says no
        }
    }
}
