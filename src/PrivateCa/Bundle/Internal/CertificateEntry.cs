using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using PrivateCa.X509.Internal;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// One certificate of a bundle, as read from its DER header without involving the platform's
/// X.509 decoder; an <see cref="X509Certificate2"/> is made only when something asks for it.
/// </summary>
internal sealed class CertificateEntry
{
    private X509Certificate2? _certificate;
    private string? _subjectName;
    private byte[]? _sha256;
    private string? _sha256Hex;

    public CertificateEntry(byte[] der, CertificateFacts facts, string source, int? line)
    {
        Der = der;
        Facts = facts;
        Source = source;
        Line = line;
    }

    public byte[] Der { get; }

    public CertificateFacts Facts { get; }

    /// <summary>The file (or in-memory source name) the certificate came from.</summary>
    public string Source { get; }

    /// <summary>The line of its PEM block, when it came from PEM text.</summary>
    public int? Line { get; }

    /// <summary>The SHA-256 fingerprint, computed on first use (de-duplication compares the DER itself).</summary>
    public byte[] Sha256 => _sha256 ??= SHA256.HashData(Der);

    public string Sha256Hex => _sha256Hex ??= Convert.ToHexString(Sha256);

    /// <summary>True for a CA whose subject and issuer are the same name: a trust anchor.</summary>
    public bool IsSelfIssuedCa => Facts.IsSelfIssued && Facts.IsCertificateAuthority;

    public string SubjectName => _subjectName ??= DecodeName(Facts.Subject);

    /// <summary>The subject for a message or log line: control characters escaped and cut to a bounded length (<see cref="NameText.Name"/>).</summary>
    public string SubjectText => NameText.Name(SubjectName);

    /// <summary>The platform certificate, decoded once on first use and shared read-only.</summary>
    public X509Certificate2 Certificate
    {
        get
        {
            var existing = Volatile.Read(ref _certificate);
            if (existing is not null)
            {
                return existing;
            }

            var created = CreateCertificate();
            existing = Interlocked.CompareExchange(ref _certificate, created, null);
            if (existing is null)
            {
                return created;
            }

            created.Dispose();
            return existing;
        }
    }

    /// <summary>A new platform certificate the caller owns.</summary>
    /// <exception cref="CertificateBundleException">The platform's decoder refuses what the loader's DER walk accepted
    /// (it checks parts the walk does not read); the certificate cannot be used.</exception>
    public X509Certificate2 CreateCertificate()
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(Der);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateBundleException(Source, null, Line, $"the platform's X.509 decoder refuses the certificate ({ex.Message})",
                "Re-export the certificate from its CA; it is damaged.", ex);
        }
    }

    private static string DecodeName(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            return new X500DistinguishedName(encoded.Span).Name;
        }
        catch (CryptographicException)
        {
            return "<undecodable name>";
        }
    }
}
