using PrivateCa.X509.Internal;

namespace PrivateCa;

/// <summary>
/// A CA bundle could not be loaded. The message names the environment variable (if any), the path,
/// the line of the offending block, the reason and what to change. Nothing is ever trusted instead.
/// </summary>
public sealed class CertificateBundleException : Exception
{
    /// <summary>Initializes a new instance with a generic message.</summary>
    public CertificateBundleException()
        : this("The CA bundle could not be loaded.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What went wrong and what to change.</param>
    public CertificateBundleException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public CertificateBundleException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal CertificateBundleException(string path, string? variable, int? line, string reason, string fix, Exception? innerException = null)
        : base(Compose(path, variable, line, reason, fix), innerException)
    {
        Path = path;
        Variable = variable;
        Line = line;
        Reason = reason;
    }

    /// <summary>Gets the file or directory concerned.</summary>
    /// <value>A path or in-memory source name, or <see langword="null"/> when not known.</value>
    public string? Path { get; }

    /// <summary>Gets the environment variable that named the path.</summary>
    /// <value>For example <c>SSL_CERT_FILE</c>; <see langword="null"/> when the path was given directly.</value>
    public string? Variable { get; }

    /// <summary>Gets the 1-based line of the offending PEM block.</summary>
    /// <value>The line, or <see langword="null"/> when the problem is not in one block.</value>
    public int? Line { get; }

    /// <summary>Gets the reason alone, without the path and the fix.</summary>
    /// <value>A short phrase, or <see langword="null"/> when not known.</value>
    public string? Reason { get; }

    private static string Compose(string path, string? variable, int? line, string reason, string fix)
    {
        var where = variable is null ? $"'{path}'" : $"'{path}' (named by {variable})";
        var at = line is int l ? $", line {l}" : string.Empty;
        // Paths come from directory listings and environment variables, and reasons quote them: a file named with a line
        // feed or a bidi override must not forge a log line, so the message is escaped as names from certificates are.
        return NameText.Escape($"Cannot load CA bundle {where}{at}: {reason}. {fix}", NameText.MaxMessageLength);
    }
}
