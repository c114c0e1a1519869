using PrivateCa.X509.Internal;

namespace PrivateCa;

/// <summary>Something worth knowing about a loaded bundle: a skipped block, an expired or weak certificate, a duplicate.</summary>
public sealed class BundleDiagnostic
{
    internal BundleDiagnostic(
        BundleDiagnosticCode code,
        BundleDiagnosticSeverity severity,
        string source,
        int? line,
        string? certificateSubject,
        string? certificateSha256,
        string message,
        string? rule = null)
    {
        Rule = rule;
        Code = code;
        Severity = severity;
        Source = source;
        Line = line;
        CertificateSubject = certificateSubject;
        CertificateSha256 = certificateSha256;
        // Logged as is: a file name or subject in it is escaped here, once, for every diagnostic.
        Message = NameText.Escape(message, NameText.MaxMessageLength);
    }

    /// <summary>Gets what is reported.</summary>
    /// <value>A stable code.</value>
    public BundleDiagnosticCode Code { get; }

    /// <summary>Gets how much it matters.</summary>
    /// <value>Information, Warning, or Error for input a lenient load skipped.</value>
    public BundleDiagnosticSeverity Severity { get; }

    /// <summary>Gets the file (or in-memory source name) concerned.</summary>
    /// <value>A path or source name.</value>
    public string Source { get; }

    /// <summary>Gets the 1-based line of the PEM block concerned.</summary>
    /// <value>The line, or <see langword="null"/> for binary input or whole-file diagnostics.</value>
    public int? Line { get; }

    /// <summary>Gets the subject of the certificate concerned.</summary>
    /// <value>A distinguished name, or <see langword="null"/> when no certificate is concerned.</value>
    public string? CertificateSubject { get; }

    /// <summary>Gets the SHA-256 fingerprint of the certificate concerned, in upper-case hex.</summary>
    /// <value>64 hex digits, or <see langword="null"/> when no certificate is concerned.</value>
    public string? CertificateSha256 { get; }

    /// <summary>Gets the <see cref="ValidationProfile.Strict"/> rule a <see cref="BundleDiagnosticCode.StrictProfileRule"/> finding is about.</summary>
    /// <value>A stable rule id such as <c>ca-basic-constraints</c>, or <see langword="null"/> for every other code.</value>
    public string? Rule { get; }

    /// <summary>Gets a sentence for people: what was found, where, and what to do about it.</summary>
    /// <value>Never contains key material.</value>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Severity} {Code}: {Message}";
}
