using System.Security.Cryptography.X509Certificates;
using PrivateCa.Trust.Internal;

namespace PrivateCa;

/// <summary>The outcome of validating a server's certificate: trusted or not, why, and the chain that was built.</summary>
public sealed class TrustVerdict
{
    internal TrustVerdict(VerdictFacts facts, IReadOnlyList<X509Certificate2> chain)
    {
        Facts = facts;
        IsTrusted = facts.IsTrusted;
        Failure = facts.IsTrusted ? TrustFailure.None : facts.Problems[0].Failure;
        Summary = VerdictRenderer.Summary(facts);
        Fix = VerdictRenderer.Fix(facts);
        Reason = VerdictRenderer.Explain(facts);
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

    /// <summary>Gets what was found, as data: the renderer writes every text from it.</summary>
    internal VerdictFacts Facts { get; }

    /// <inheritdoc/>
    public override string ToString() => Reason;
}
