namespace PrivateCa.Bundle.Internal;

/// <summary>
/// The environment variables other TLS stacks read, in PrivateCa's order, each with the meaning it has in its own tool.
/// </summary>
internal static class EnvironmentSources
{
    public const string SslCertFile = "SSL_CERT_FILE";
    public const string RequestsCaBundle = "REQUESTS_CA_BUNDLE";
    public const string CurlCaBundle = "CURL_CA_BUNDLE";
    public const string SslCertDir = "SSL_CERT_DIR";
    public const string NodeExtraCaCerts = "NODE_EXTRA_CA_CERTS";

    /// <summary>The variables in the order they are read.</summary>
    public static readonly IReadOnlyList<string> Variables = [SslCertFile, RequestsCaBundle, CurlCaBundle, SslCertDir, NodeExtraCaCerts];

    /// <summary>Whether any of the variables is set to something other than blanks.</summary>
    public static bool AnySet(Func<string, string?> getVariable) =>
        Variables.Any(v => !string.IsNullOrWhiteSpace(getVariable(v)));

    /// <summary>Reads every set variable into <paramref name="builder"/>.</summary>
    /// <returns>Whether the certificates add to the system roots (NODE_EXTRA_CA_CERTS alone) rather than replace them.</returns>
    public static bool AddTo(BundleBuilder builder, Func<string, string?> getVariable)
    {
        // Blank counts as unset, as in requests and curl.
        string? Get(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var replacesSystemRoots = false;
        if (Get(SslCertFile) is { } sslCertFile)
        {
            builder.AddFile(sslCertFile, SslCertFile);
            replacesSystemRoots = true;
        }

        if (Get(RequestsCaBundle) is { } requests)
        {
            // requests hands a directory to OpenSSL as its CApath.
            if (Directory.Exists(requests))
            {
                builder.AddDirectory(requests, RequestsCaBundle, DirectoryLayout.OpenSslHashed);
            }
            else
            {
                builder.AddFile(requests, RequestsCaBundle);
            }

            replacesSystemRoots = true;
        }

        if (Get(CurlCaBundle) is { } curl)
        {
            builder.AddFile(curl, CurlCaBundle);
            replacesSystemRoots = true;
        }

        if (Get(SslCertDir) is { } directories)
        {
            foreach (var directory in directories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                builder.AddDirectory(directory, SslCertDir, DirectoryLayout.OpenSslHashed);
            }

            replacesSystemRoots = true;
        }

        if (Get(NodeExtraCaCerts) is { } node)
        {
            builder.AddFile(node, NodeExtraCaCerts);
            return !replacesSystemRoots;
        }

        return false;
    }
}
