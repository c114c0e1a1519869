using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>How certificates are written in explanations.</summary>
internal static class CertificateText
{
    /// <summary>The names a server certificate is for: its subjectAltName DNS names and IP addresses, else its common name.</summary>
    public static IReadOnlyList<string> NamesOf(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
                names.AddRange(san.EnumerateIPAddresses().Select(a => a.ToString()));
            }
        }

        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } commonName)
        {
            names.Add(commonName);
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
