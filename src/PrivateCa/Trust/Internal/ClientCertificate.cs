using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>Loads the mTLS client certificate named by the options, with clear errors.</summary>
internal static class ClientCertificate
{
    public static X509Certificate2? Load(PrivateCaTrustOptions options)
    {
        if (options.ClientCertificatePath is null)
        {
            if (options.ClientKeyPath is not null)
            {
                throw new ArgumentException(
                    $"PrivateCa: ClientKeyPath is set ({options.ClientKeyPath}) but ClientCertificatePath is not; a client key needs its certificate.", nameof(options));
            }

            return null;
        }

        var certificatePath = Path.GetFullPath(options.ClientCertificatePath);
        var keyPath = options.ClientKeyPath is null ? null : Path.GetFullPath(options.ClientKeyPath);
        foreach (var path in new[] { certificatePath, keyPath })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new CertificateBundleException(
                    $"Cannot load the mTLS client certificate: '{path}' ({(path == certificatePath ? "ClientCertificatePath" : "ClientKeyPath")}) does not exist.");
            }
        }

        try
        {
            using var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (!loaded.HasPrivateKey)
            {
                throw new CertificateBundleException(
                    $"Cannot load the mTLS client certificate '{certificatePath}': no private key was found; set ClientKeyPath to its PEM key.");
            }

            // SslStream on Windows needs a key it can find again; a PKCS#12 round trip gives it one on every OS.
            return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateBundleException(
                $"Cannot load the mTLS client certificate '{certificatePath}'{(keyPath is null ? string.Empty : $" with key '{keyPath}'")}: {ex.Message}. Both must be PEM, and the key must be unencrypted and match the certificate.", ex);
        }
    }
}
