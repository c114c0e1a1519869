using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Tests.Infrastructure;

/// <summary>Certificates made in the test with <see cref="CertificateRequest"/>; nothing is committed.</summary>
internal static class TestPki
{
    public static X509Certificate2 CreateRoot(
        string commonName,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        bool basicConstraintsCritical = true,
        X509KeyUsageFlags? keyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
        bool isCa = true,
        ECDsa? key = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, basicConstraintsCritical));
        if (keyUsage is { } usage)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1));
    }

    public static X509Certificate2 CreateRsaRoot(string commonName, int keySize, HashAlgorithmName hash)
    {
        using var key = RSA.Create(keySize);
        var request = new CertificateRequest($"CN={commonName}", key, hash, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public static string Pem(this X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    public static string Pem(params X509Certificate2[] certificates) => string.Concat(certificates.Select(c => c.Pem()));

    public static string Sha256(this X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);
}
