using System.Security.Cryptography.X509Certificates;

namespace PrivateCa;

/// <summary>The outcome of validating a server's certificate: trusted or not, why, and the chain that was built.</summary>
public sealed class TrustVerdict
{
    internal TrustVerdict(bool isTrusted, TrustFailure failure, string summary, string fix, string explanation, IReadOnlyList<X509Certificate2> chain)
    {
        IsTrusted = isTrusted;
        Failure = failure;
        Summary = summary;
        Fix = fix;
        Reason = explanation;
        Chain = chain;
    }

    /// <summary>Gets whether the server is trusted.</summary>
    /// <value><see langword="true"/> only when every check passed.</value>
    public bool IsTrusted { get; }

    /// <summary>Gets the kind of failure.</summary>
    /// <value><see cref="TrustFailure.None"/> when trusted.</value>
    public TrustFailure Failure { get; }

    /// <summary>Gets the full explanation: the same text a <see cref="CertificateTrustException"/> carries.</summary>
    /// <value>For a rejection: the host, the presented chain, the anchors tried and their sources, the reason and the fix.
    /// For a success: the host and the anchor that vouched for it.</value>
    public string Reason { get; }

    /// <summary>Gets the reason alone, in one sentence.</summary>
    /// <value>For example "issuer 'CN=Acme Issuing CA 2' is not in the 3 anchors loaded from /etc/ssl/private.pem (SSL_CERT_FILE)".</value>
    public string Summary { get; }

    /// <summary>Gets what to do about a rejection.</summary>
    /// <value>Empty when trusted.</value>
    public string Fix { get; }

    /// <summary>Gets the chain that was built, leaf first and anchor last.</summary>
    /// <value>Empty when no chain was built. The certificates belong to the caller.</value>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <inheritdoc/>
    public override string ToString() => Reason;
}
