using PrivateCa.Bundle.Internal;

namespace PrivateCa;

/// <summary>
/// Turns what a user points at — a PEM bundle, a DER certificate, a PKCS#7 bag, a directory, a mounted
/// Kubernetes volume, or the variables <c>SSL_CERT_FILE</c>, <c>REQUESTS_CA_BUNDLE</c>, <c>CURL_CA_BUNDLE</c>,
/// <c>SSL_CERT_DIR</c> and <c>NODE_EXTRA_CA_CERTS</c> — into a checked, immutable <see cref="CertificateBundle"/>.
/// </summary>
/// <remarks>Bad input fails closed with a <see cref="CertificateBundleException"/> that names the path,
/// the variable and the line; nothing is ever trusted in its place.</remarks>
public static class CertificateBundleLoader
{
    /// <summary>Loads a file (PEM, DER or PKCS#7) or every certificate file in a directory and below it.</summary>
    /// <param name="path">A file or directory.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or blanks.</exception>
    /// <exception cref="CertificateBundleException">The path is missing, unreadable, empty, too large, malformed, or holds no certificate.</exception>
    public static CertificateBundle Load(string path) => Load(path, BundleLoadOptions.Default);

    /// <summary>Loads a file or directory with the given options.</summary>
    /// <param name="path">A file or directory.</param>
    /// <param name="options">How to treat the input.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or blanks.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="CertificateBundleException">The path is missing, unreadable, empty, too large, malformed, or holds no certificate.</exception>
    public static CertificateBundle Load(string path, BundleLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Load([path], options);
    }

    /// <summary>Loads several files or directories into one bundle; a certificate found twice is kept once.</summary>
    /// <param name="paths">Files or directories, read in order.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="paths"/> is empty or holds a blank path.</exception>
    /// <exception cref="CertificateBundleException">A path is missing, unreadable, empty, too large, malformed, or holds no certificate.</exception>
    public static CertificateBundle Load(IEnumerable<string> paths) => Load(paths, BundleLoadOptions.Default);

    /// <summary>Loads several files or directories into one bundle with the given options.</summary>
    /// <param name="paths">Files or directories, read in order.</param>
    /// <param name="options">How to treat the input.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="paths"/> is empty or holds a blank path.</exception>
    /// <exception cref="CertificateBundleException">A path is missing, unreadable, empty, too large, malformed, or holds no certificate.</exception>
    public static CertificateBundle Load(IEnumerable<string> paths, BundleLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        var list = paths.ToList();
        if (list.Count == 0 || list.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one path, and no blank ones.", nameof(paths));
        }

        var builder = new BundleBuilder(options);
        foreach (var path in list)
        {
            builder.AddPath(path, variable: null);
        }

        return builder.Build(extendsSystemTrust: false);
    }

    /// <summary>Loads PEM text that is already in memory (for example from a configuration value or a secret store).</summary>
    /// <param name="pem">One or more PEM blocks.</param>
    /// <param name="sourceName">A name for the text, used in diagnostics and errors in place of a path.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pem"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is null, empty or blanks.</exception>
    /// <exception cref="CertificateBundleException">The text is malformed or holds no certificate.</exception>
    public static CertificateBundle LoadPem(string pem, string sourceName) => LoadPem(pem, sourceName, BundleLoadOptions.Default);

    /// <summary>Loads PEM text that is already in memory, with the given options.</summary>
    /// <param name="pem">One or more PEM blocks.</param>
    /// <param name="sourceName">A name for the text, used in diagnostics and errors in place of a path.</param>
    /// <param name="options">How to treat the input.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pem"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is null, empty or blanks.</exception>
    /// <exception cref="CertificateBundleException">The text is malformed or holds no certificate.</exception>
    public static CertificateBundle LoadPem(string pem, string sourceName, BundleLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(pem);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        ArgumentNullException.ThrowIfNull(options);
        var builder = new BundleBuilder(options);
        builder.AddPem(pem, sourceName);
        return builder.Build(extendsSystemTrust: false);
    }

    /// <summary>
    /// Loads what the environment names. The first variable set decides, in this order, as each tool these variables come
    /// from reads one: <c>SSL_CERT_FILE</c> (a file), <c>REQUESTS_CA_BUNDLE</c> (a file, or a directory of OpenSSL hashed
    /// names), <c>CURL_CA_BUNDLE</c> (a file), <c>SSL_CERT_DIR</c> (directories of hashed names, separated by
    /// <see cref="Path.PathSeparator"/>) and <c>NODE_EXTRA_CA_CERTS</c> (a file, added to the system roots as in Node when it
    /// is the only one set). Every other set variable is reported as a <see cref="BundleDiagnosticCode.EnvironmentVariableNotUsed"/> diagnostic.
    /// </summary>
    public static CertificateBundle? LoadFromEnvironment() => LoadFromEnvironment(BundleLoadOptions.Default);

    /// <summary>Loads what the environment names (see <see cref="LoadFromEnvironment()"/>), with the given options.</summary>
    /// <param name="options">How to treat the input.</param>
    /// <returns>The bundle, or <see langword="null"/> when none of the variables is set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="CertificateBundleException">A variable names a missing, unreadable, empty or malformed file, or one with no certificate.</exception>
    public static CertificateBundle? LoadFromEnvironment(BundleLoadOptions options) =>
        LoadFromEnvironment(Environment.GetEnvironmentVariable, options);

    /// <summary>Bundle bytes already in memory, read exactly as a file's content is (for the fuzz tests).</summary>
    internal static CertificateBundle LoadBytes(ReadOnlyMemory<byte> content, string sourceName, BundleLoadOptions options)
    {
        var builder = new BundleBuilder(options);
        builder.AddBytes(content, sourceName);
        return builder.Build(extendsSystemTrust: false);
    }

    /// <summary>The environment read through <paramref name="getVariable"/>, so tests need not change the process environment.</summary>
    internal static CertificateBundle? LoadFromEnvironment(Func<string, string?> getVariable, BundleLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sources = TrustSources.FromEnvironment(getVariable, watched: false);
        return sources.Sources.IsEmpty ? null : sources.Load(options);
    }
}
