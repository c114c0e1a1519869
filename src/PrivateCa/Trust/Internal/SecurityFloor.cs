using System.Security.Cryptography.X509Certificates;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The cryptography every profile requires: each signature the chain relies on (all but a self-signed anchor's own) and
/// each key of the chain, anchor included, must be on <see cref="AlgorithmPolicy"/>'s list. Anything else is
/// <see cref="TrustFailure.WeakCryptography"/>, or <see cref="TrustFailure.MalformedCertificate"/> when it does not decode.
/// </summary>
internal static class SecurityFloor
{
    /// <summary>Adds a problem for each signature or key of the chain that is not on the list, leaf first.</summary>
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
            if (!isAnchorSelfSignature && AlgorithmPolicy.Signature(certificate) is { } signature)
            {
                var subject = NameText.Name(chain[i].Subject);
                problems.Add(signature.Malformed
                    ? new TrustProblem(TrustFailure.MalformedCertificate,
                        $"'{subject}' is signed with {signature.Description}",
                        $"Reissue '{subject}' with a well-formed signature algorithm (inspect it with 'openssl x509 -text -noout').")
                    : new TrustProblem(TrustFailure.WeakCryptography,
                        $"'{subject}' is signed with {signature.Description}, which is not on PrivateCa's list of accepted signature algorithms ({AlgorithmPolicy.AcceptedSignatures}); curl, Python and Node refuse weak ones too",
                        $"Reissue '{subject}' signed with SHA-256 or stronger (RSA PKCS#1 v1.5, RSASSA-PSS with matching SHA-2 parameters, or ECDSA)."));
            }

            if (AlgorithmPolicy.Key(certificate) is { } key)
            {
                var subject = NameText.Name(chain[i].Subject);
                problems.Add(key.Malformed
                    ? new TrustProblem(TrustFailure.MalformedCertificate,
                        $"'{subject}' has {key.Description}",
                        $"Reissue '{subject}' with a well-formed public key (inspect it with 'openssl x509 -text -noout').")
                    : new TrustProblem(TrustFailure.WeakCryptography,
                        $"'{subject}' has {key.Description}, which is not on PrivateCa's list of accepted keys ({AlgorithmPolicy.AcceptedKeys})",
                        $"Reissue '{subject}' with an RSA key of at least 2048 bits (rsaEncryption) or an ECDSA P-256 key."));
            }
        }
    }
}
