namespace PrivateCa.Bundle.Internal;

/// <summary>Which files of a directory are read.</summary>
internal enum DirectoryLayout
{
    /// <summary>Every certificate file name, in every folder below (as h2oGPT reads /etc/ssl/more-certs).</summary>
    Recursive,

    /// <summary>Only OpenSSL hashed names ('a1b2c3d4.0') in the folder itself, as SSL_CERT_DIR is read by OpenSSL.</summary>
    OpenSslHashed,
}
