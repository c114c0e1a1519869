using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The one trust engine behind <see cref="CustomRootTrustValidator"/> and every handler of
/// <see cref="TrustedHandlerFactory"/>: candidate anchors by issuer name and key identifier, one chain build
/// with only those, then host name, pins and profile checks. Reads an immutable snapshot; takes no locks.
/// </summary>
internal sealed class TrustEngine
{
    /// <summary>The bound on each CRL or OCSP fetch when revocation is checked.</summary>
    public static readonly TimeSpan RevocationFetchTimeout = TimeSpan.FromSeconds(5);

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private readonly Func<TrustSnapshot> _snapshot;
    private readonly VerdictCache? _cache;

    public TrustEngine(PrivateCaTrustOptions options, Func<TrustSnapshot> snapshot)
    {
        ArgumentNullException.ThrowIfNull(options);
        Scope = new HostScope(options.Hosts);
        Pins = new SpkiPins(options.PinnedSpkiSha256);
        Mode = options.Mode;
        RevocationMode = options.RevocationMode;
        AllowIntermediateAnchors = options.AllowIntermediateAnchors;
        Profile = options.Profile;
        _snapshot = snapshot;

        // With revocation checked the verdict depends on more than the bytes, so nothing is cached.
        _cache = RevocationMode == X509RevocationMode.NoCheck ? new VerdictCache() : null;
    }

    public HostScope Scope { get; }

    public SpkiPins Pins { get; }

    public TrustMode Mode { get; }

    public X509RevocationMode RevocationMode { get; }

    public bool AllowIntermediateAnchors { get; }

    public ValidationProfile Profile { get; }

    public TrustSnapshot Snapshot => _snapshot();

    /// <summary>Told of every handshake judged here: host, failure (None when trusted) and reason; for logs and metrics.</summary>
    public Action<string, TrustFailure, string>? Observer { get; init; }

    /// <summary>Whether the system's verdict comes first: <see cref="TrustMode.SystemAndCustomRoots"/>, or a bundle that extends system trust.</summary>
    public bool SystemFirst(TrustSnapshot snapshot) => Mode == TrustMode.SystemAndCustomRoots || snapshot.Bundle.ExtendsSystemTrust;

    /// <summary>The TLS callback's work: hosts out of scope keep the platform's verdict; others are judged here, and a rejection throws.
    /// <c>platformChainIsSystem</c> says whether the platform built its chain with system trust; false when the handler gave
    /// it the cheap empty policy, so where the system's verdict counts it is built here.</summary>
    /// <exception cref="CertificateTrustException">The server is not trusted (in scope, or out of scope and rejected by the platform).</exception>
    public bool ValidateHandshake(string host, X509Certificate? certificate, X509Chain? platformChain, SslPolicyErrors errors, int? port = null, bool platformChainIsSystem = true)
    {
        if (!Scope.Contains(host))
        {
            return OutsideHosts(host, certificate, platformChainIsSystem ? platformChain : null, errors, port);
        }

        var presented = platformChain?.ChainPolicy.ExtraStore;
        if (!platformChainIsSystem)
        {
            platformChain = null;
        }

        var snapshot = Snapshot;

        // The system clock, not a TimeProvider: the platform chain engine judges validity by it, and the cache must agree.
        var now = DateTimeOffset.UtcNow;
        var cacheable = _cache is not null && certificate is X509Certificate2 && !SystemFirst(snapshot) && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == 0;
        if (cacheable && _cache!.IsTrusted(snapshot, host, (X509Certificate2)certificate!, presented, now))
        {
            Observer?.Invoke(host, TrustFailure.None, string.Empty);
            return true;
        }

        using var evaluation = certificate is X509Certificate2 leaf
            ? Evaluate(leaf, presented, host, verificationTime: null, errors, platformChain, snapshot)
            : Evaluation.Reject(snapshot, host, new TrustProblem(TrustFailure.Other, "the server sent no certificate", "Configure the server to present its certificate chain."));
        if (evaluation.IsTrusted)
        {
            if (cacheable && evaluation.ValidityWindow is var (from, to))
            {
                _cache!.Add(snapshot, host, (X509Certificate2)certificate!, presented, from, to, now);
            }

            Observer?.Invoke(host, TrustFailure.None, string.Empty);
            return true;
        }

        var verdict = evaluation.ToVerdict(keepChain: false);
        Observer?.Invoke(host, verdict.Failure, verdict.Summary);
        throw new CertificateTrustException(host, port, verdict);
    }

    /// <summary>A host outside <see cref="Scope"/> keeps the platform's verdict; a rejection says why, instead of the platform's
    /// generic "rejected by the provided RemoteCertificateValidationCallback" that would blame PrivateCa.</summary>
    private bool OutsideHosts(string host, X509Certificate? certificate, X509Chain? systemChain, SslPolicyErrors errors, int? port)
    {
        if (systemChain is not null && errors == SslPolicyErrors.None)
        {
            return true;
        }

        var problems = new List<TrustProblem>();
        var leaf = certificate as X509Certificate2;
        var presented = systemChain?.ChainPolicy.ExtraStore;
        if (leaf is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            problems.Add(new TrustProblem(TrustFailure.Other, "the server sent no certificate", "Configure the server to present its certificate chain."));
        }
        else
        {
            var (trusted, chainProblems) = systemChain is not null ? SystemVerdict(systemChain, errors) : BuildSystemVerdict(leaf, presented, verificationTime: null);
            problems.AddRange(chainProblems);
            if (!trusted && chainProblems.Count == 0)
            {
                problems.Add(new TrustProblem(TrustFailure.UntrustedRoot, "no root in the system's trust store issues it", "Install its CA in the system store."));
            }

            problems.AddRange(CheckHost(leaf, host, errors));
        }

        if (problems.Count == 0)
        {
            return true;
        }

        // Ordered as the verdict orders them, so the problem worded with the scope is the one reported first.
        problems = [.. problems.OrderBy(p => Evaluation.Rank(p.Failure))];
        var patterns = string.Join(", ", Scope.Patterns);
        var first = problems[0];
        problems[0] = first with
        {
            Reason = $"{host} is outside Hosts ({patterns}), so PrivateCa left it to the system's own validation, which rejected it: {first.Reason}",
            Fix = $"{first.Fix} If {host} is one of your private-CA servers, add it to Hosts.",
        };
        // A verdict through the system never words the bundle, so none is loaded for it.
        using var evaluation = new Evaluation(null!, host, leaf!, presented, problems, [], null, [], viaSystem: true);
        var verdict = evaluation.ToVerdict(keepChain: false);
        Observer?.Invoke(host, verdict.Failure, verdict.Summary);
        throw new CertificateTrustException(host, port, verdict);
    }

    /// <summary>Judges a chain. <paramref name="platformErrors"/> and <paramref name="platformChain"/> come from a handshake, where the
    /// platform has already built a chain (with system trust when <see cref="SystemFirst"/>); offline they are null.</summary>
    public Evaluation Evaluate(
        X509Certificate2 leaf,
        X509Certificate2Collection? presented,
        string host,
        DateTimeOffset? verificationTime,
        SslPolicyErrors? platformErrors,
        X509Chain? platformChain,
        TrustSnapshot? snapshot = null)
    {
        snapshot ??= Snapshot;
        var problems = new List<TrustProblem>();
        if (platformErrors is { } errors && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return Evaluation.Reject(snapshot, host, new TrustProblem(TrustFailure.Other, "the server sent no certificate", "Configure the server to present its certificate chain."));
        }

        // The system's own verdict first, where it counts; only "no known root" lets the bundle be tried.
        if (SystemFirst(snapshot))
        {
            var system = platformChain is not null && platformErrors is not null
                ? SystemVerdict(platformChain, platformErrors.Value)
                : BuildSystemVerdict(leaf, presented, verificationTime);
            if (system.Trusted)
            {
                problems.AddRange(CheckHost(leaf, host, platformErrors));
                return new Evaluation(snapshot, host, leaf, presented, problems, [], null, [], viaSystem: true);
            }

            if (system.Problems.Count > 0)
            {
                return new Evaluation(snapshot, host, leaf, presented, system.Problems, [], null, [], viaSystem: true);
            }
        }

        var candidates = FindCandidates(snapshot, leaf, presented);
        var chain = Build(leaf, presented, candidates, verificationTime);
        var elements = new X509Certificate2[chain.ChainElements.Count];
        for (var i = 0; i < elements.Length; i++)
        {
            elements[i] = chain.ChainElements[i].Certificate;
        }

        CertificateEntry? anchor = null;
        ChainInterpreter.Interpret(chain, elements, snapshot, candidates, this, verificationTime, problems, ref anchor);
        chain.Dispose();

        if (Profile == ValidationProfile.Strict && elements.Length > 0)
        {
            problems.AddRange(StrictRules.Check(elements));
        }

        problems.AddRange(CheckHost(leaf, host, platformErrors));
        if (problems.Count == 0 && !Pins.IsEmpty && !elements.Any(e => Pins.Matches(e.PublicKey.ExportSubjectPublicKeyInfo())))
        {
            var seen = string.Join(", ", elements.Select(e => $"'{e.Subject}' {SpkiPins.Of(e.PublicKey.ExportSubjectPublicKeyInfo())}"));
            problems.Add(new TrustProblem(TrustFailure.PinMismatch,
                $"no certificate of the chain matches the {Pins.Count} pin(s) in PinnedSpkiSha256 (the chain's SPKI SHA-256: {seen})",
                "If the server's key was rotated on purpose, add its new pin; otherwise this is not the server you pinned."));
        }

        return new Evaluation(snapshot, host, leaf, presented, problems, elements, anchor, candidates.Anchors, viaSystem: false);
    }

    /// <summary>System trust alone, for a host outside <see cref="Scope"/>.</summary>
    public Evaluation EvaluateSystemOnly(X509Certificate2 leaf, X509Certificate2Collection? presented, string host, DateTimeOffset? verificationTime)
    {
        var (trusted, problems) = BuildSystemVerdict(leaf, presented, verificationTime);
        if (!trusted && problems.Count == 0)
        {
            problems.Add(new TrustProblem(TrustFailure.UntrustedRoot,
                $"no root in the system's trust store issues it, and {host} is outside Hosts, so the bundle does not apply",
                $"Add {host} to Hosts to trust it through the bundle."));
        }

        problems.AddRange(CheckHost(leaf, host, platformErrors: null));
        return new Evaluation(Snapshot, host, leaf, presented, problems, [], null, [], viaSystem: true);
    }

    private IEnumerable<TrustProblem> CheckHost(X509Certificate2 leaf, string host, SslPolicyErrors? platformErrors)
    {
        // Strict: the names are in the subjectAltName or nowhere (no common-name fallback), as in WebPKI validators.
        var matches = leaf.MatchesHostname(host.TrimEnd('.'), allowWildcards: true, allowCommonName: Profile != ValidationProfile.Strict);
        if (matches && (platformErrors is not { } errors || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0))
        {
            yield break;
        }

        var names = CertificateText.NamesOf(leaf);
        yield return new TrustProblem(TrustFailure.NameMismatch,
            $"certificate is for {(names.Count == 0 ? "no host name at all" : string.Join(", ", names))}, not {host}",
            names.Count == 0
                ? $"Reissue the server certificate with a subjectAltName for {host}."
                : $"Call the server by a name its certificate holds ({string.Join(", ", names)}), or reissue it with a subjectAltName for {host}.");
    }

    private static (bool Trusted, List<TrustProblem> Problems) SystemVerdict(X509Chain platformChain, SslPolicyErrors errors)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0)
        {
            return (true, []);
        }

        return (false, ChainInterpreter.SystemProblems(platformChain));
    }

    private (bool Trusted, List<TrustProblem> Problems) BuildSystemVerdict(X509Certificate2 leaf, X509Certificate2Collection? presented, DateTimeOffset? verificationTime)
    {
        using var chain = new X509Chain();
        Configure(chain.ChainPolicy, verificationTime);
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.System;
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented);
        }

        if (chain.Build(leaf))
        {
            return (true, []);
        }

        return (false, ChainInterpreter.SystemProblems(chain));
    }

    private X509Chain Build(X509Certificate2 leaf, X509Certificate2Collection? presented, Candidates candidates, DateTimeOffset? verificationTime)
    {
        var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        Configure(policy, verificationTime);
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (var anchor in candidates.Anchors)
        {
            if (TryCertificate(anchor) is { } certificate)
            {
                policy.CustomTrustStore.Add(certificate);
            }
        }

        if (presented is not null)
        {
            policy.ExtraStore.AddRange(presented);
        }

        foreach (var intermediate in candidates.Intermediates)
        {
            if (TryCertificate(intermediate) is { } certificate)
            {
                policy.ExtraStore.Add(certificate);
            }
        }

        chain.Build(leaf);
        return chain;
    }

    /// <summary>A bundle certificate the platform cannot decode anchors nothing: it is left out, which fails closed.</summary>
    private static X509Certificate2? TryCertificate(CertificateEntry entry)
    {
        try
        {
            return entry.Certificate;
        }
        catch (CertificateBundleException)
        {
            return null;
        }
    }

    private void Configure(X509ChainPolicy policy, DateTimeOffset? verificationTime)
    {
        // Set on every policy: .NET 10 defaults to Online, which stalls on private CAs without a CRL.
        policy.RevocationMode = RevocationMode;
        policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        policy.UrlRetrievalTimeout = RevocationFetchTimeout;
        policy.DisableCertificateDownloads = true;
        policy.ApplicationPolicy.Add(ServerAuth);
        if (verificationTime is { } time)
        {
            policy.VerificationTimeIgnored = false;
            policy.VerificationTime = time.LocalDateTime;
        }
    }

    /// <summary>Bundle certificates that can take part in this chain: found by issuer name and authority key identifier,
    /// walking up through the presented intermediates and the bundle's own.</summary>
    private static Candidates FindCandidates(TrustSnapshot snapshot, X509Certificate2 leaf, X509Certificate2Collection? presented)
    {
        var anchors = new List<CertificateEntry>(2);
        var intermediates = new List<CertificateEntry>(0);
        var presentedFacts = new List<CertificateFacts>();
        if (presented is not null)
        {
            foreach (var certificate in presented)
            {
                if (TryParse(certificate) is { } facts)
                {
                    presentedFacts.Add(facts);
                }
            }
        }

        var pending = new Stack<CertificateFacts>();
        if (TryParse(leaf) is { } leafFacts)
        {
            pending.Push(leafFacts);
        }

        var index = snapshot.Bundle.Index;
        var steps = 0;
        while (pending.Count > 0 && steps++ < 16)
        {
            var current = pending.Pop();
            if (current.IsSelfIssued)
            {
                foreach (var entry in index.BySubject(current.Subject.Span))
                {
                    AddOnce(anchors, entry);
                }

                continue;
            }

            foreach (var entry in index.BySubject(current.Issuer.Span).Concat(index.ByKeyIdentifier(current.AuthorityKeyIdentifier.Span)))
            {
                if (entry.Facts.IsSelfIssued)
                {
                    AddOnce(anchors, entry);
                }
                else if (entry.Facts.IsCertificateAuthority && AddOnce(intermediates, entry))
                {
                    pending.Push(entry.Facts);
                }
            }

            foreach (var facts in presentedFacts)
            {
                if (facts != current && facts.Subject.Span.SequenceEqual(current.Issuer.Span))
                {
                    pending.Push(facts);
                }
            }
        }

        return new Candidates(anchors, intermediates);
    }

    private static CertificateFacts? TryParse(X509Certificate2 certificate)
    {
        try
        {
            return CertificateParser.Parse(certificate.RawDataMemory).Facts;
        }
        catch (Exception ex) when (ex is System.Formats.Asn1.AsnContentException or CryptographicException)
        {
            // The chain engine will say what is wrong with it.
            return null;
        }
    }

    private static bool AddOnce(List<CertificateEntry> list, CertificateEntry entry)
    {
        if (list.Contains(entry))
        {
            return false;
        }

        list.Add(entry);
        return true;
    }
}
