using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>Loads the mTLS client certificate named by the options, with clear errors and bounded reads.</summary>
internal static class ClientCertificate
{
    /// <summary>The largest key file read: a PEM RSA 8192-bit key is under 7 KiB.</summary>
    public const int MaxKeyFileSize = 64 * 1024;

    /// <summary>The largest certificate file read (a certificate with its chain).</summary>
    public const int MaxCertificateFileSize = 1024 * 1024;

    public static ClientIdentity? Load(PrivateCaTrustOptions options)
    {
        if (options.ClientCertificatePath is null)
        {
            if (options.ClientKeyPath is not null)
            {
                throw new ArgumentException(
                    $"PrivateCa: ClientKeyPath is set ({NameText.Escape(options.ClientKeyPath)}) but ClientCertificatePath is not; a client key needs its certificate.", nameof(options));
            }

            return null;
        }

        return Load(Path.GetFullPath(options.ClientCertificatePath), options.ClientKeyPath is null ? null : Path.GetFullPath(options.ClientKeyPath));
    }

    /// <summary>The most certificates taken from the certificate file besides the leaf (its intermediates).</summary>
    public const int MaxIntermediates = 8;

    /// <exception cref="CertificateBundleException">A file is missing, too large or unreadable; the key is missing, encrypted or does not match.</exception>
    public static ClientIdentity Load(string certificatePath, string? keyPath)
    {
        var certificatePem = Read(certificatePath, "ClientCertificatePath", MaxCertificateFileSize);
        var keyPem = keyPath is null ? certificatePem : Read(keyPath, "ClientKeyPath", MaxKeyFileSize);
        X509Certificate2? leaf = null;
        var intermediates = new X509Certificate2Collection();
        try
        {
            using (var loaded = X509Certificate2.CreateFromPem(certificatePem, keyPem))
            {
                if (!loaded.HasPrivateKey)
                {
                    throw Failure($"Cannot load the mTLS client certificate '{certificatePath}': no private key was found; set ClientKeyPath to its PEM key.");
                }

                // SslStream on Windows needs a key it can find again; a PKCS#12 round trip gives it one on every OS.
                leaf = X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
            }

            // The rest of the file is the leaf's chain, as cert-manager writes tls.crt: sent with it, so a server that trusts
            // only the root accepts it (as curl and Go send it).
            var all = new X509Certificate2Collection();
            all.ImportFromPem(certificatePem);
            foreach (var certificate in all)
            {
                if (certificate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                {
                    certificate.Dispose();
                    continue;
                }

                if (intermediates.Count == MaxIntermediates)
                {
                    certificate.Dispose();
                    throw Failure($"Cannot load the mTLS client certificate '{certificatePath}': it holds more than {MaxIntermediates} certificates besides the leaf; keep only the leaf and its intermediates.");
                }

                intermediates.Add(certificate);
            }

            // Built offline: nothing is downloaded for our own chain; only what the file holds (and the system's stores) is sent.
            var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            return new ClientIdentity(leaf, context, intermediates.Count, SHA256.HashData(Encoding.UTF8.GetBytes(certificatePem)));
        }
        catch (CertificateBundleException)
        {
            Release(leaf, intermediates);
            throw;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            Release(leaf, intermediates);

            // The runtime's message names no key material.
            throw Failure(
                $"Cannot load the mTLS client certificate '{certificatePath}'{(keyPath is null ? string.Empty : $" with key '{keyPath}'")}: {ex.Message}. Both must be PEM, and the key must be unencrypted and match the certificate (a file still being written also fails here).", ex);
        }
    }

    private static void Release(X509Certificate2? leaf, X509Certificate2Collection intermediates)
    {
        leaf?.Dispose();
        foreach (var certificate in intermediates)
        {
            certificate.Dispose();
        }
    }

    /// <summary>Whether other users may read the key file (Unix permissions); false where that cannot be told.</summary>
    public static bool ReadableByOthers(string keyPath, out UnixFileMode mode)
    {
        mode = default;
        if (OperatingSystem.IsWindows() || !File.Exists(keyPath))
        {
            return false;
        }

        try
        {
            mode = File.GetUnixFileMode(keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // removed or replaced since it was read: the next reload looks again
        }

        return (mode & UnixFileMode.OtherRead) != 0;
    }

    private static string Read(string path, string property, int limit)
    {
        try
        {
            // Checked before opening: opening a pipe blocks until something writes to it, and a pipe or device shows as 0 bytes.
            if (new FileInfo(path) is { Exists: true, Length: 0 })
            {
                throw Failure($"Cannot load the mTLS client certificate: '{path}' ({property}) is empty (0 bytes; a pipe or device also shows as empty and is not read).");
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.CanSeek && stream.Length > limit)
            {
                throw Failure($"Cannot load the mTLS client certificate: '{path}' ({property}) is {stream.Length:N0} bytes, over the {limit:N0}-byte limit for this file.");
            }

            // Bounded even when the length is not known (a pipe): read one byte past the limit to tell.
            var buffer = new byte[limit + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > limit)
            {
                throw Failure($"Cannot load the mTLS client certificate: '{path}' ({property}) is over the {limit:N0}-byte limit for this file.");
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Failure($"Cannot load the mTLS client certificate: '{path}' ({property}) does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure($"Cannot load the mTLS client certificate: '{path}' ({property}) cannot be read ({ex.Message}).", ex);
        }
    }

    /// <summary>Paths come from configuration and the runtime's message may quote them: escaped as every text built from input.</summary>
    private static CertificateBundleException Failure(string message, Exception? inner = null) => new(NameText.Escape(message), inner);
}
