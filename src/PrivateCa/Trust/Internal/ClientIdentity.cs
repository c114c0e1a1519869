using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>An mTLS client certificate with its key, and the context that presents it with the intermediates its file holds.</summary>
internal sealed class ClientIdentity(X509Certificate2 certificate, SslStreamCertificateContext context, int intermediates, byte[] fileDigest)
{
    /// <summary>The leaf, with its private key.</summary>
    public X509Certificate2 Certificate => certificate;

    /// <summary>The leaf and its intermediates as they are sent, built once (offline) and shared by every handshake.</summary>
    public SslStreamCertificateContext Context => context;

    /// <summary>How many certificates besides the leaf the file held.</summary>
    public int Intermediates => intermediates;

    /// <summary>Whether <paramref name="other"/> was loaded from the same certificate file content (leaf and intermediates).</summary>
    public bool SameAs(ClientIdentity other) => fileDigest.AsSpan().SequenceEqual(other.FileDigestSpan) && certificate.RawDataMemory.Span.SequenceEqual(other.Certificate.RawDataMemory.Span);

    private ReadOnlySpan<byte> FileDigestSpan => fileDigest;
}
