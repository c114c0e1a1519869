namespace PrivateCa.Bundle.Internal;

/// <summary>How one trust source is read.</summary>
internal enum SourceKind
{
    /// <summary>A file, or every certificate file below a directory (<see cref="PrivateCaTrustOptions.BundlePaths"/>).</summary>
    FileOrDirectory,

    /// <summary>A file only (SSL_CERT_FILE, CURL_CA_BUNDLE, NODE_EXTRA_CA_CERTS).</summary>
    File,

    /// <summary>A directory of OpenSSL hashed names (SSL_CERT_DIR).</summary>
    HashedDirectory,

    /// <summary>A file, or a directory of OpenSSL hashed names, as requests hands REQUESTS_CA_BUNDLE to OpenSSL.</summary>
    FileOrHashedDirectory,
}
