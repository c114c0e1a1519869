using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Bundle.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The one trust engine behind <see cref="CustomRootTrustValidator"/> and every handler of <see cref="TrustedHandlerFactory"/>,
/// and the handshake adapter: scope, verdict cache, observer, and the throw that explains a rejection. Each verdict is
/// find (<see cref="CandidateFinder"/>) → build (<see cref="ChainBuilder"/>) → judge (<see cref="ChainJudge"/>).
/// Reads an immutable snapshot; takes no locks.
/// </summary>
internal sealed partial class TrustEngine
{
    private readonly Func<TrustSnapshot> _snapshot;
    private readonly VerdictCache? _cache;

    public TrustEngine(PrivateCaTrustOptions options, Func<TrustSnapshot> snapshot)
    {
        Settings = new TrustSettings(options);
        _snapshot = snapshot;

        // With revocation checked the verdict depends on more than the bytes, so nothing is cached.
        _cache = RevocationMode == X509RevocationMode.NoCheck ? new VerdictCache() : null;
    }

    public TrustSettings Settings { get; }

    public HostScope Scope => Settings.Scope;

    public X509RevocationMode RevocationMode => Settings.RevocationMode;

    public TrustSnapshot Snapshot => _snapshot();

    /// <summary>Told of every handshake judged here: host, failure (None when trusted) and reason; for logs and metrics.</summary>
    public Action<string, TrustFailure, string>? Observer { get; init; }

    /// <summary>Whether the system's verdict comes first: <see cref="TrustMode.SystemAndCustomRoots"/>, or a bundle that extends system trust.</summary>
    public bool SystemFirst(TrustSnapshot snapshot) => Settings.Mode == TrustMode.SystemAndCustomRoots || snapshot.Bundle.ExtendsSystemTrust;

    /// <summary>The TLS callback's work: hosts out of scope keep the platform's verdict; others are judged here, and a rejection throws.
    /// <c>platformChainIsSystem</c> says whether the platform built its chain with system trust; false when the handler gave
    /// it the cheap empty policy, so where the system's verdict counts it is built here.</summary>
    /// <exception cref="CertificateTrustException">The server is not trusted (in scope, or out of scope and rejected by the platform).</exception>
    public bool ValidateHandshake(string host, X509Certificate? certificate, X509Chain? platformChain, SslPolicyErrors errors, int? port = null, bool platformChainIsSystem = true)
    {
        if (!Scope.Contains(host))
        {
            return OutsideHosts(host, certificate, platformChain, platformChainIsSystem, errors, port);
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
            : Evaluation.Reject(snapshot, host, NoCertificate);
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

    /// <summary>Whether a server in the middle of a handshake is trusted, judged as the validation callback will judge it
    /// (the platform's chain is not built yet, so the system's verdict, where it counts, is built here). Tells no observer and
    /// throws nothing: the validation callback that follows reports the verdict.</summary>
    public bool Judges(string host, X509Certificate2 leaf, X509Certificate2Collection presented)
    {
        var snapshot = Snapshot;
        var now = DateTimeOffset.UtcNow;
        var cacheable = _cache is not null && !SystemFirst(snapshot);
        if (cacheable && _cache!.IsTrusted(snapshot, host, leaf, presented, now))
        {
            return true;
        }

        using var evaluation = Evaluate(leaf, presented, host, verificationTime: null, platformErrors: null, platformChain: null, snapshot);
        return evaluation.IsTrusted;
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
        try
        {
            return EvaluateCore(leaf, presented, host, verificationTime, platformErrors, platformChain, snapshot);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The boundary: every certificate a server can send gets a verdict, never another exception.
            return new Evaluation(snapshot, host, leaf, presented, [ChainJudge.Unjudgeable(leaf, ex)], [], null, [], viaSystem: false);
        }
    }

    private Evaluation EvaluateCore(
        X509Certificate2 leaf,
        X509Certificate2Collection? presented,
        string host,
        DateTimeOffset? verificationTime,
        SslPolicyErrors? platformErrors,
        X509Chain? platformChain,
        TrustSnapshot snapshot)
    {
        // The one clock read of a verdict: the system clock, which the platform chain engine judges validity by.
        var at = verificationTime ?? DateTimeOffset.UtcNow;
        if (platformErrors is { } errors && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return Evaluation.Reject(snapshot, host, NoCertificate);
        }

        if (ChainJudge.Malformed(leaf, "the server certificate", out var parsed) is { } malformed)
        {
            return new Evaluation(snapshot, host, leaf, presented, [malformed], [], null, [], viaSystem: false);
        }

        var leafFacts = parsed!;

        // The system's own verdict first, where it counts; only "no known root" lets the bundle be tried.
        if (SystemFirst(snapshot))
        {
            var fromHandshake = platformChain is not null && platformErrors is not null;
            var system = fromHandshake ? BuiltChain.From(platformChain!) : ChainBuilder.BuildSystem(leaf, presented, RevocationMode, verificationTime);
            var systemTrusted = fromHandshake
                ? (platformErrors!.Value & SslPolicyErrors.RemoteCertificateChainErrors) == 0
                : system.ChainFlags == X509ChainStatusFlags.NoError;
            if (systemTrusted)
            {
                var own = ChainJudge.JudgeSystemChain(Settings, leaf, leafFacts, host, system, platformErrors);
                AddRevoked(own, snapshot, system);
                return new Evaluation(snapshot, host, leaf, presented, own, system.Elements, null, [], viaSystem: true, ownsElements: !fromHandshake);
            }

            var systemProblems = ChainInterpreter.SystemProblems(system, at);
            if (!fromHandshake)
            {
                Dispose(system);
            }

            if (systemProblems.Count > 0)
            {
                return new Evaluation(snapshot, host, leaf, presented, systemProblems, [], null, [], viaSystem: true);
            }
        }

        var candidates = CandidateFinder.Find(snapshot.Bundle.Index, leaf, presented);
        var chain = ChainBuilder.BuildCustom(leaf, presented, candidates, RevocationMode, verificationTime);
        var problems = ChainJudge.JudgeBundleChain(Settings, snapshot, leaf, leafFacts, host, chain, candidates, at, platformErrors, out var anchor);
        AddRevoked(problems, snapshot, chain);
        return new Evaluation(snapshot, host, leaf, presented, problems, chain.Elements, anchor, candidates.Anchors, viaSystem: false);
    }

    /// <summary>The offline CRLs' verdict on a chain, whoever anchored it.</summary>
    private static void AddRevoked(List<TrustProblem> problems, TrustSnapshot snapshot, BuiltChain chain)
    {
        // Only a chain otherwise trusted is looked up: an untrusted one (issuers a server made up) costs no CRL signature check.
        if (problems.Count == 0 && !snapshot.RevocationLists.IsEmpty && snapshot.RevocationLists.FindRevoked(chain.Elements) is { } revoked)
        {
            problems.Add(revoked);
        }
    }

    private static TrustProblem NoCertificate => new(TrustFailure.Other, $"the server sent no certificate", $"Configure the server to present its certificate chain.");

    private static void Dispose(BuiltChain chain)
    {
        foreach (var element in chain.Elements)
        {
            element.Dispose();
        }
    }
}
