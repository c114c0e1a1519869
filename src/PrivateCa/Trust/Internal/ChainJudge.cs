using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;
using PrivateCa.Trust.Internal.Names;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The pure part of a verdict: from a chain already built, the checks PrivateCa adds to the chain engine's — the
/// status flags in words, well-formedness, the security floor, the Strict rules, the host name and the pins. No I/O,
/// and no clock but the instant handed in.
/// </summary>
internal static class ChainJudge
{
    /// <summary>A <see cref="TrustFailure.MalformedCertificate"/> problem when the certificate is malformed; null when it is sound.</summary>
    public static TrustProblem? Malformed(X509Certificate2 certificate, string role, out CertificateFacts? facts)
    {
        if (CertificateSoundness.FindMalformation(certificate.RawDataMemory, out facts) is not { } malformation)
        {
            return null;
        }

        var name = NameText.Name(CertificateText.SafeSubject(certificate));
        return new TrustProblem(TrustFailure.MalformedCertificate,
            $"{role} '{name}' (SHA-256 {CertificateText.Sha256Prefix(certificate)}) is malformed: {malformation}",
            $"Reissue '{name}' with well-formed extensions (inspect it with 'openssl x509 -text -noout'); PrivateCa does not guess at a malformed certificate.");
    }

    /// <summary>The verdict when judging itself failed on what the server sent: the certificate is named, never the exception's type.</summary>
    public static TrustProblem Unjudgeable(X509Certificate2 certificate, Exception exception)
    {
        var name = NameText.Name(CertificateText.SafeSubject(certificate));
        return new TrustProblem(TrustFailure.MalformedCertificate,
            $"the chain of '{name}' (SHA-256 {CertificateText.Sha256Prefix(certificate)}) cannot be judged: a certificate in it is malformed ({exception.Message})",
            $"Inspect the server's chain with 'openssl s_client -showcerts' and 'openssl x509 -text -noout', and reissue the malformed certificate.");
    }

    /// <summary>Judges a chain built with the bundle's candidate anchors.</summary>
    public static List<TrustProblem> JudgeBundleChain(
        TrustSettings settings, TrustSnapshot snapshot, X509Certificate2 leaf, CertificateFacts leafFacts, string host, BuiltChain chain, Candidates candidates,
        DateTimeOffset at, SslPolicyErrors? platformErrors, out CertificateEntry? anchor)
    {
        var problems = new List<TrustProblem>();
        anchor = null;
        if (FactsOf(chain, leafFacts, problems) is not { } facts)
        {
            return problems;
        }

        ChainInterpreter.Interpret(chain, snapshot, candidates, settings.AllowIntermediateAnchors, ownNameConstraints: settings.Profile == ValidationProfile.Strict, at, problems, ref anchor);

        // Bounded work before trust is known: Strict's rules and name-constraint evaluation grow with what the server sends, so
        // a chain that reaches no anchor, or whose signatures do not verify, gets only the cheap checks.
        var anchored = !problems.Exists(p => p.Failure is TrustFailure.UntrustedRoot or TrustFailure.BadSignature or TrustFailure.MalformedCertificate);
        AddOwnChecks(settings, leaf, leafFacts, host, chain, facts, endsAtSelfSignedAnchor: anchor is { Facts.IsSelfIssued: true } || ChainInterpreter.EndsAtBundleRoot(chain, snapshot), platformErrors, problems, anchored);
        return problems;
    }

    /// <summary>Judges a chain the system's trusted roots vouched for: only PrivateCa's own checks remain, pins included.</summary>
    public static List<TrustProblem> JudgeSystemChain(TrustSettings settings, X509Certificate2 leaf, CertificateFacts leafFacts, string host, BuiltChain chain, SslPolicyErrors? platformErrors)
    {
        var problems = new List<TrustProblem>();
        if (FactsOf(chain, leafFacts, problems) is { } facts)
        {
            AddOwnChecks(settings, leaf, leafFacts, host, chain, facts, endsAtSelfSignedAnchor: facts.Count > 0 && facts[^1].IsSelfIssued, platformErrors, problems, anchored: true);
        }

        return problems;
    }

    private const int MaxNameConstraintProblems = 10;

    private static bool HasNameConstraints(List<CertificateFacts> facts)
    {
        for (var i = 1; i < facts.Count; i++)
        {
            foreach (var extension in facts[i].Extensions)
            {
                if (extension.Oid == Oids.NameConstraints)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The parsed chain, leaf first; null (with the problem added) when a certificate of it is malformed.</summary>
    private static List<CertificateFacts>? FactsOf(BuiltChain chain, CertificateFacts leafFacts, List<TrustProblem> problems)
    {
        var facts = new List<CertificateFacts>(chain.Elements.Length) { leafFacts };
        for (var i = 1; i < chain.Elements.Length; i++)
        {
            if (Malformed(chain.Elements[i], i == chain.Elements.Length - 1 ? "the anchor" : "the CA certificate", out var parsed) is { } problem)
            {
                problems.Add(problem);
                return null;
            }

            facts.Add(parsed!);
        }

        return facts;
    }

    private static void AddOwnChecks(TrustSettings settings, X509Certificate2 leaf, CertificateFacts leafFacts, string host, BuiltChain chain,
        List<CertificateFacts> facts, bool endsAtSelfSignedAnchor, SslPolicyErrors? platformErrors, List<TrustProblem> problems, bool anchored)
    {
        var elements = chain.Elements;
        if (elements.Length > 0)
        {
            SecurityFloor.Check(elements, facts, endsAtSelfSignedAnchor, problems);
        }

        if (settings.Profile == ValidationProfile.Strict && elements.Length > 0 && anchored)
        {
            problems.AddRange(StrictRules.Check(elements, facts));
        }
        else if (anchored && HasNameConstraints(facts))
        {
            // Platform too: the platform engine compares names as strings, so a wildcard '*.corp.example' passes a CA that
            // excludes 'secret.corp.example'. PrivateCa's own evaluation adds to the platform's status, never replaces it.
            var names = new CertificateNames[facts.Count];
            for (var i = 0; i < facts.Count; i++)
            {
                names[i] = StrictRules.NamesOf(facts[i], NameText.Name(elements[i].Subject));
            }

            StrictNameRules.AddNameConstraintProblems(names, elements, problems, MaxNameConstraintProblems, additive: true);
        }

        HostNameCheck.Check(settings, leaf, leafFacts, host, facts, platformErrors, problems);
        if (problems.Count == 0 && !settings.Pins.IsEmpty && !facts.Any(f => settings.Pins.Matches(f.SubjectPublicKeyInfo.Span)))
        {
            var seen = string.Join(", ", elements.Select(e => $"'{NameText.Name(e.Subject)}' {SpkiPins.Of(e.PublicKey.ExportSubjectPublicKeyInfo())}"));
            problems.Add(new TrustProblem(TrustFailure.PinMismatch,
                $"no certificate of the chain matches the {settings.Pins.Count} pin(s) in PinnedSpkiSha256 (the chain's SPKI SHA-256: {seen})",
                $"If the server's key was rotated on purpose, add its new pin; otherwise this is not the server you pinned."));
        }
    }
}
