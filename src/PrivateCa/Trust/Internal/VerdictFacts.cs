namespace PrivateCa.Trust.Internal;

/// <summary>
/// Everything a verdict found, as data and nothing rendered: the host, the problems (most fundamental first), what the
/// server presented, the anchors tried and where they came from. <see cref="VerdictRenderer"/> writes every text from it.
/// </summary>
internal sealed class VerdictFacts
{
    public required string Host { get; init; }

    /// <summary>Empty when trusted; otherwise the first is the reason.</summary>
    public required IReadOnlyList<TrustProblem> Problems { get; init; }

    /// <summary>The server's certificate first, then the rest in the order sent; null when there was none.</summary>
    public IReadOnlyList<CertificateSummary>? Presented { get; init; }

    /// <summary>Whether the system's trusted roots, rather than the bundle, judged the chain.</summary>
    public bool ViaSystem { get; init; }

    /// <summary>The bundle anchor the chain ended at, when trusted through the bundle.</summary>
    public AnchorSummary? Anchor { get; init; }

    public IReadOnlyList<AnchorSummary> AnchorsTried { get; init; } = [];

    /// <summary>How many anchors the trust snapshot holds.</summary>
    public int AnchorCount { get; init; }

    /// <summary>Where the bundle came from: "/etc/ssl/private.pem (SSL_CERT_FILE)".</summary>
    public string Sources { get; init; } = string.Empty;

    public bool IsTrusted => Problems.Count == 0;
}
