using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>What a rejection says about one presented certificate; copied out, so the verdict outlives the handshake's certificates.</summary>
internal sealed record CertificateSummary(string Subject, string Issuer, string Sha256Hex, DateTime NotBefore, DateTime NotAfter)
{
    public static CertificateSummary Of(X509Certificate2 certificate)
    {
        string issuer;
        try
        {
            issuer = certificate.Issuer;
        }
        catch (CryptographicException)
        {
            issuer = "an undecodable name";
        }

        return new(CertificateText.SafeSubject(certificate), issuer, certificate.GetCertHashString(HashAlgorithmName.SHA256), certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
    }
}
