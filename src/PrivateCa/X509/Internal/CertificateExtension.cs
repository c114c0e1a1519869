namespace PrivateCa.X509.Internal;

/// <summary>One extension as it appears in the certificate.</summary>
internal readonly record struct CertificateExtension(string Oid, bool Critical, ReadOnlyMemory<byte> Value);
