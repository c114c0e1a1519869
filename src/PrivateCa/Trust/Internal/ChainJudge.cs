using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The pure part of a verdict: from a chain already built, the checks PrivateCa adds to the chain engine's — the
/// status flags in words, the Strict rules, the host name and the pins. No I/O, and no clock but the time handed in.
/// </summary>
internal static class ChainJudge
{
    /// <summary>Judges a chain built with the bundle's candidate anchors.</summary>
    public static List<TrustProblem> JudgeBundleChain(
        TrustSettings settings, TrustSnapshot snapshot, X509Certificate2 leaf, string host, BuiltChain chain, Candidates candidates,
        DateTimeOffset at, SslPolicyErrors? platformErrors, out CertificateEntry? anchor)
    {
        var problems = new List<TrustProblem>();
        anchor = null;
        ChainInterpreter.Interpret(chain, snapshot, candidates, settings.AllowIntermediateAnchors, at, problems, ref anchor);
        AddOwnChecks(settings, leaf, host, chain.Elements, platformErrors, problems);
        return problems;
    }

    /// <summary>Judges a chain the system's trusted roots vouched for: only PrivateCa's own checks remain.</summary>
    public static List<TrustProblem> JudgeSystemChain(TrustSettings settings, X509Certificate2 leaf, string host, BuiltChain chain, SslPolicyErrors? platformErrors)
    {
        var problems = new List<TrustProblem>();
        AddOwnChecks(settings, leaf, host, chain.Elements, platformErrors, problems);
        return problems;
    }

    private static void AddOwnChecks(TrustSettings settings, X509Certificate2 leaf, string host, X509Certificate2[] elements, SslPolicyErrors? platformErrors, List<TrustProblem> problems)
    {
        if (settings.Profile == ValidationProfile.Strict && elements.Length > 0)
        {
            problems.AddRange(StrictRules.Check(elements));
        }

        CheckHost(settings, leaf, host, platformErrors, problems);
        if (problems.Count == 0 && !settings.Pins.IsEmpty && !elements.Any(e => settings.Pins.Matches(e.PublicKey.ExportSubjectPublicKeyInfo())))
        {
            var seen = string.Join(", ", elements.Select(e => $"'{e.Subject}' {SpkiPins.Of(e.PublicKey.ExportSubjectPublicKeyInfo())}"));
            problems.Add(new TrustProblem(TrustFailure.PinMismatch,
                $"no certificate of the chain matches the {settings.Pins.Count} pin(s) in PinnedSpkiSha256 (the chain's SPKI SHA-256: {seen})",
                $"If the server's key was rotated on purpose, add its new pin; otherwise this is not the server you pinned."));
        }
    }

    public static void CheckHost(TrustSettings settings, X509Certificate2 leaf, string host, SslPolicyErrors? platformErrors, List<TrustProblem> problems)
    {
        // Strict: the names are in the subjectAltName or nowhere (no common-name fallback), as in WebPKI validators.
        var matches = leaf.MatchesHostname(host.TrimEnd('.'), allowWildcards: true, allowCommonName: settings.Profile != ValidationProfile.Strict);
        if (matches && (platformErrors is not { } errors || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0))
        {
            return;
        }

        var names = CertificateText.NamesOf(leaf);
        problems.Add(new TrustProblem(TrustFailure.NameMismatch,
            $"certificate is for {(names.Count == 0 ? "no host name at all" : string.Join(", ", names))}, not {host}",
            names.Count == 0
                ? (FormattableString)$"Reissue the server certificate with a subjectAltName for {host}."
                : $"Call the server by a name its certificate holds ({string.Join(", ", names)}), or reissue it with a subjectAltName for {host}."));
    }
}
