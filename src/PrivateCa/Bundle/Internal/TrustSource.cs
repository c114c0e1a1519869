namespace PrivateCa.Bundle.Internal;

/// <summary>One place trust is read from: a full path, the variable that named it (null for BundlePaths) and how it is read.</summary>
internal sealed record TrustSource(string Path, string? Variable, SourceKind Kind)
{
    /// <summary>"/etc/ssl/private.pem (SSL_CERT_FILE)", or the path alone.</summary>
    public override string ToString() => Variable is null ? Path : $"{Path} ({Variable})";
}
