namespace PrivateCa.Bundle.Internal;

/// <summary>
/// The start-up error when no variable and no BundlePaths name a bundle: it lists the well-known bundle files and
/// directories that exist on this machine, so a user with a bundle mounted at a default location sees how to name it.
/// Nothing found here is ever trusted without being named: trust stays explicit.
/// </summary>
internal static class NothingConfigured
{
    /// <summary>The files Go's crypto/x509 reads (Linux and BSD lists), then OpenSSL's compiled-in default file and directory
    /// for the usual OPENSSLDIRs (Debian /usr/lib/ssl, Alpine and macOS /etc/ssl, RHEL /etc/pki/tls, Homebrew).</summary>
    public static readonly IReadOnlyList<string> WellKnownLocations =
    [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/pki/tls/cacert.pem",
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        "/etc/ssl/cert.pem",
        "/usr/local/etc/ssl/cert.pem",
        "/usr/local/share/certs/ca-root-nss.crt",
        "/etc/openssl/certs/ca-certificates.crt",
        "/usr/lib/ssl/cert.pem",
        "/usr/lib/ssl/certs",
        "/etc/ssl/certs",
        "/etc/pki/tls/cert.pem",
        "/etc/pki/tls/certs",
        "/opt/homebrew/etc/openssl@3/cert.pem",
        "/usr/local/etc/openssl@3/cert.pem",
    ];

    public static string Message(bool useEnvironment, IReadOnlyList<string>? wellKnownLocations = null)
    {
        var what = useEnvironment
            ? "No CA bundle configured: set SSL_CERT_FILE or REQUESTS_CA_BUNDLE to a PEM bundle, or PrivateCa:BundlePaths (PrivateCaTrustOptions.BundlePaths) to files or directories."
            : "No CA bundle configured: UseEnvironment is false, so set PrivateCa:BundlePaths (PrivateCaTrustOptions.BundlePaths) to CA bundle files or directories.";
        var found = (wellKnownLocations ?? WellKnownLocations).Where(p => File.Exists(p) || Directory.Exists(p)).ToList();
        return found.Count == 0
            ? $"{what} No well-known bundle file exists on this machine either."
            : $"{what} Well-known bundle locations on this machine, none of which PrivateCa reads unless named: {string.Join(", ", found)}. "
              + $"To trust one, name it, e.g. SSL_CERT_FILE={found[0]} or PrivateCa__BundlePaths__0={found[0]}.";
    }
}
