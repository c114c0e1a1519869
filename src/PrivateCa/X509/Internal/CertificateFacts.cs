namespace PrivateCa.X509.Internal;

/// <summary>The parts of a certificate the loader and trust engine need, read from its DER.</summary>
internal sealed class CertificateFacts
{
    public required int Version { get; init; }

    public required ReadOnlyMemory<byte> SerialNumber { get; init; }

    public required ReadOnlyMemory<byte> Issuer { get; init; }

    public required ReadOnlyMemory<byte> Subject { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public required string SignatureAlgorithm { get; init; }

    /// <summary>The signature algorithm's parameters, encoded; empty when absent.</summary>
    public required ReadOnlyMemory<byte> SignatureParameters { get; init; }

    public required string PublicKeyAlgorithm { get; init; }

    /// <summary>The SubjectPublicKeyInfo algorithm's parameters, encoded; empty when absent.</summary>
    public required ReadOnlyMemory<byte> PublicKeyParameters { get; init; }

    /// <summary>The subjectPublicKey BIT STRING's content.</summary>
    public required ReadOnlyMemory<byte> PublicKey { get; init; }

    /// <summary>The named curve of an EC key; null for other key types and for explicit curve parameters.</summary>
    public string? NamedCurve { get; init; }

    /// <summary>RSA modulus size in bits for a key of any RSA identifier; 0 for other key types or a key that does not decode.</summary>
    public required int RsaKeySize { get; init; }

    /// <summary>The SubjectPublicKeyInfo, encoded (for SPKI pins).</summary>
    public required ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; init; }

    /// <summary>basicConstraints: null when absent.</summary>
    public required bool? BasicConstraintsCa { get; init; }

    public required bool BasicConstraintsCritical { get; init; }

    public required int? PathLengthConstraint { get; init; }

    /// <summary>keyUsage bits as the platform's <see cref="System.Security.Cryptography.X509Certificates.X509KeyUsageFlags"/>; null when absent.</summary>
    public required int? KeyUsage { get; init; }

    public required ReadOnlyMemory<byte> SubjectKeyIdentifier { get; init; }

    public required ReadOnlyMemory<byte> AuthorityKeyIdentifier { get; init; }

    public required IReadOnlyList<CertificateExtension> Extensions { get; init; }

    public bool IsSelfIssued => Subject.Span.SequenceEqual(Issuer.Span);

    public bool IsCertificateAuthority => BasicConstraintsCa == true;

    /// <summary>keyCertSign (bit 5) in X509KeyUsageFlags terms.</summary>
    public bool HasKeyCertSign => KeyUsage is int usage && (usage & 0x04) != 0;
}
