namespace PrivateCa;

/// <summary>One file that contributed to a bundle, and the environment variable that named it, if any.</summary>
public sealed class BundleSource
{
    internal BundleSource(string path, string? variable, int certificateCount)
    {
        Path = path;
        Variable = variable;
        CertificateCount = certificateCount;
    }

    /// <summary>Gets the file that was read (or the source name given to <see cref="CertificateBundleLoader.LoadPem(string, string)"/>).</summary>
    /// <value>A full path or source name.</value>
    public string Path { get; }

    /// <summary>Gets the environment variable that led to this file.</summary>
    /// <value>For example <c>SSL_CERT_FILE</c>, or <see langword="null"/> when the path was given directly.</value>
    public string? Variable { get; }

    /// <summary>Gets how many certificates this file added (duplicates of earlier files not counted).</summary>
    /// <value>Zero or more.</value>
    public int CertificateCount { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        Variable is null ? $"{Path} ({CertificateCount} certificates)" : $"{Path} ({Variable}, {CertificateCount} certificates)";
}
