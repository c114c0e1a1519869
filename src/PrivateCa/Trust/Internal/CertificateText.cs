using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>How certificates are written in explanations.</summary>
internal static class CertificateText
{
    /// <summary>The names a server certificate is for, each with its type ("DNS:model.internal", "IP:10.0.0.7", so a DNS name
    /// spelled like an address is not mistaken for one): its subjectAltName DNS names and IP addresses, else "CN=" its common name.</summary>
    public static IReadOnlyList<string> NamesOf(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames().Select(n => "DNS:" + n));
                names.AddRange(san.EnumerateIPAddresses().Select(a => "IP:" + a));
            }
        }

        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } commonName)
        {
            names.Add("CN=" + commonName);
        }

        return names;
    }

    /// <summary>The subject, or its SHA-256 when the platform cannot decode it.</summary>
    public static string SafeSubject(X509Certificate2 certificate)
    {
        try
        {
            return certificate.Subject;
        }
        catch (CryptographicException)
        {
            return $"certificate {Sha256Prefix(certificate)}";
        }
    }

    /// <summary>The first 16 hex digits of the certificate's SHA-256.</summary>
    public static string Sha256Prefix(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256)[..16];

    public static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
