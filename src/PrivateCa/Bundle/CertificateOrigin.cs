namespace PrivateCa;

/// <summary>Where one certificate of a <see cref="CertificateBundle"/> came from.</summary>
public sealed class CertificateOrigin
{
    internal CertificateOrigin(string subject, string sha256, string source, int? line)
    {
        Subject = subject;
        Sha256 = sha256;
        Source = source;
        Line = line;
    }

    /// <summary>Gets the certificate's subject.</summary>
    /// <value>A distinguished name as the platform renders it.</value>
    public string Subject { get; }

    /// <summary>Gets the certificate's SHA-256 fingerprint, in upper-case hex.</summary>
    /// <value>64 hex digits.</value>
    public string Sha256 { get; }

    /// <summary>Gets the file (or in-memory source name) the certificate was read from.</summary>
    /// <value>A path or source name; the first one when the certificate appeared more than once.</value>
    public string Source { get; }

    /// <summary>Gets the 1-based line of the certificate's PEM block.</summary>
    /// <value>The line, or <see langword="null"/> for DER or PKCS#7 input.</value>
    public int? Line { get; }

    /// <inheritdoc/>
    public override string ToString() => Line is int line ? $"{Source} line {line}" : Source;
}
