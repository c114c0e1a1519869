using System.Security.Cryptography.X509Certificates;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The cryptography every profile requires, as OpenSSL's default security level does for curl, Python and Node: no MD5
/// or SHA-1 (or MD2) signature that is relied on — the anchor's own self-signature is not — and no RSA key under 2048
/// bits, no DSA key, no elliptic curve under 224 bits, anywhere in the chain.
/// </summary>
internal static class SecurityFloor
{
    public const int MinimumRsaBits = 2048;
    public const int MinimumCurveBits = 224;

    /// <summary>Adds a <see cref="TrustFailure.WeakCryptography"/> problem for each weakness of the chain, leaf first.</summary>
    /// <param name="chain">The chain's certificates, leaf first: a subject is decoded only for a problem's text.</param>
    /// <param name="facts">The chain's parsed certificates, in the same order.</param>
    /// <param name="endsAtSelfSignedAnchor">Whether the last certificate is the trusted, self-signed anchor.</param>
    /// <param name="problems">Where the problems go.</param>
    public static void Check(IReadOnlyList<X509Certificate2> chain, IReadOnlyList<CertificateFacts> facts, bool endsAtSelfSignedAnchor, List<TrustProblem> problems)
    {
        for (var i = 0; i < facts.Count; i++)
        {
            var certificate = facts[i];
            var isAnchorSelfSignature = endsAtSelfSignedAnchor && i == facts.Count - 1 && certificate.IsSelfIssued;
            if (!isAnchorSelfSignature && Oids.WeakSignatureName(certificate.SignatureAlgorithm) is { } hash)
            {
                var subject = NameText.Name(chain[i].Subject);
                problems.Add(new TrustProblem(TrustFailure.WeakCryptography,
                    $"'{subject}' is signed with {hash}, which PrivateCa does not accept on a signature it relies on (as OpenSSL's default security level, and so curl, Python and Node, do not)",
                    $"Reissue '{subject}' signed with SHA-256 or stronger."));
            }

            if (KeyWeakness(certificate) is { } weakness)
            {
                var subject = NameText.Name(chain[i].Subject);
                problems.Add(new TrustProblem(TrustFailure.WeakCryptography,
                    $"'{subject}' has {weakness}, below PrivateCa's security floor (RSA 2048 bits, elliptic curves of 224 bits, no DSA)",
                    $"Reissue '{subject}' with an RSA key of at least 2048 bits or an ECDSA P-256 key."));
            }
        }
    }

    private static string? KeyWeakness(CertificateFacts facts) => facts.PublicKeyAlgorithm switch
    {
        Oids.Rsa when facts.RsaKeySize < MinimumRsaBits => $"a {facts.RsaKeySize}-bit RSA key",
        Oids.Dsa => "a DSA key",
        Oids.EcPublicKey when Oids.CurveBits(facts.NamedCurve) is var bits && bits < MinimumCurveBits =>
            bits == 0 ? $"an elliptic-curve key on a curve PrivateCa does not know ({facts.NamedCurve ?? "explicit parameters"})" : $"a {bits}-bit elliptic-curve key",
        _ => null,
    };
}
