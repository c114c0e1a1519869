using System.Collections.Immutable;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// The environment variables other TLS stacks read, in PrivateCa's order, each with the meaning it has in its own tool.
/// The first one set decides, as each of those tools reads one; the others are reported as not used.
/// </summary>
internal static class EnvironmentSources
{
    public const string SslCertFile = "SSL_CERT_FILE";
    public const string RequestsCaBundle = "REQUESTS_CA_BUNDLE";
    public const string CurlCaBundle = "CURL_CA_BUNDLE";
    public const string SslCertDir = "SSL_CERT_DIR";
    public const string NodeExtraCaCerts = "NODE_EXTRA_CA_CERTS";

    /// <summary>The variables in the order they are considered.</summary>
    public static readonly IReadOnlyList<string> Variables = [SslCertFile, RequestsCaBundle, CurlCaBundle, SslCertDir, NodeExtraCaCerts];

    /// <summary>The variables set to something other than blanks (blank counts as unset, as in requests and curl), in order, trimmed.</summary>
    public static IEnumerable<(string Variable, string Value)> SetVariables(Func<string, string?> getVariable)
    {
        foreach (var variable in Variables)
        {
            if (getVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                yield return (variable, value.Trim());
            }
        }
    }

    /// <summary>The sources the first set variable names, the other set variables, and whether the certificates add to the
    /// system roots (NODE_EXTRA_CA_CERTS when it is the only one set) rather than replace them.</summary>
    public static (ImmutableArray<TrustSource> Sources, ImmutableArray<UnusedVariable> Unused, bool ExtendsSystemTrust) Decide(Func<string, string?> getVariable)
    {
        var set = SetVariables(getVariable).ToList();
        if (set.Count == 0)
        {
            return ([], [], false);
        }

        var (variable, value) = set[0];
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            // Path.GetFullPath would throw an ArgumentException, which the run-time re-read does not take for a rejection.
            throw new CertificateBundleException($"{variable} holds a NUL character, so it names no file; set it to the path of a CA bundle, or unset it.");
        }

        ImmutableArray<TrustSource> sources = variable switch
        {
            // requests hands a directory to OpenSSL as its CApath.
            RequestsCaBundle => [new TrustSource(Path.GetFullPath(value), variable, SourceKind.FileOrHashedDirectory)],
            SslCertDir => [.. Directories(value).Select(d => new TrustSource(Path.GetFullPath(d), variable, SourceKind.HashedDirectory))],
            _ => [new TrustSource(Path.GetFullPath(value), variable, SourceKind.File)],
        };
        var unused = set.Skip(1).Select(v => new UnusedVariable(v.Variable, v.Value, variable)).ToImmutableArray();
        return (sources, unused, variable == NodeExtraCaCerts);
    }

    /// <summary>SSL_CERT_DIR's directories; a value of separators alone is kept whole, so the load names it as a missing directory.</summary>
    private static string[] Directories(string value) =>
        value.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } directories ? directories : [value];
}
