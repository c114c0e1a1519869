using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Trust.Internal;

/// <summary>The engine's verdicts for hosts outside <see cref="Scope"/>: the system's own, explained.</summary>
internal sealed partial class TrustEngine
{
    /// <summary>A host outside <see cref="Scope"/> keeps the platform's verdict; a rejection says why, instead of the platform's
    /// generic "rejected by the provided RemoteCertificateValidationCallback" that would blame PrivateCa.</summary>
    private bool OutsideHosts(string host, X509Certificate? certificate, X509Chain? platformChain, bool platformChainIsSystem, SslPolicyErrors errors, int? port)
    {
        if (platformChainIsSystem && platformChain is not null && errors == SslPolicyErrors.None)
        {
            return true;
        }

        var problems = new List<TrustProblem>();
        var leaf = certificate as X509Certificate2;
        var presented = platformChain?.ChainPolicy.ExtraStore;
        if (leaf is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            problems.Add(NoCertificate);
        }
        else
        {
            try
            {
                if (platformChainIsSystem && platformChain is not null)
                {
                    if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                    {
                        AddSystemProblems(problems, BuiltChain.From(platformChain), host);
                    }
                }
                else
                {
                    // The handler gave the platform the cheap policy, so the system's own verdict is built here.
                    var system = ChainBuilder.BuildSystem(leaf, presented, RevocationMode, verificationTime: null);
                    if (system.ChainFlags != X509ChainStatusFlags.NoError)
                    {
                        AddSystemProblems(problems, system, host);
                    }

                    Dispose(system);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                problems.Add(ChainJudge.Unjudgeable(leaf, ex));
            }

            // SslStream matches the name itself, whatever chain policy it was given.
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                problems.Add(new TrustProblem(TrustFailure.NameMismatch, $"certificate is not for {host}", $"Call the server by a name its certificate holds."));
            }
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
        using var evaluation = new Evaluation(null, host, leaf, presented, problems, [], null, [], viaSystem: true);
        var verdict = evaluation.ToVerdict(keepChain: false);
        Observer?.Invoke(host, verdict.Failure, verdict.Summary);
        throw new CertificateTrustException(host, port, verdict);
    }

    private static void AddSystemProblems(List<TrustProblem> problems, BuiltChain chain, string host)
    {
        var found = ChainInterpreter.SystemProblems(chain, DateTimeOffset.UtcNow);
        problems.AddRange(found);
        if (found.Count == 0)
        {
            problems.Add(new TrustProblem(TrustFailure.UntrustedRoot, $"no root in the system's trust store issues the certificate of {host}", $"Install its CA in the system store."));
        }
    }

    /// <summary>System trust alone, untouched, for a host outside <see cref="Scope"/>: what a plain handler would decide.</summary>
    public Evaluation EvaluateSystemOnly(X509Certificate2 leaf, X509Certificate2Collection? presented, string host, DateTimeOffset? verificationTime)
    {
        try
        {
            var chain = ChainBuilder.BuildSystem(leaf, presented, RevocationMode, verificationTime);
            var problems = ChainInterpreter.SystemProblems(chain, verificationTime ?? DateTimeOffset.UtcNow);
            if (chain.ChainFlags != X509ChainStatusFlags.NoError && problems.Count == 0)
            {
                problems.Add(new TrustProblem(TrustFailure.UntrustedRoot,
                    $"no root in the system's trust store issues it, and {host} is outside Hosts, so the bundle does not apply",
                    $"Add {host} to Hosts to trust it through the bundle."));
            }

            Dispose(chain);
            try
            {
                if (!leaf.MatchesHostname(host.TrimEnd('.'), allowWildcards: true, allowCommonName: true))
                {
                    problems.Add(new TrustProblem(TrustFailure.NameMismatch, $"certificate is not for {host}", $"Call the server by a name its certificate holds."));
                }
            }
            catch (ArgumentException)
            {
                problems.Add(HostNameCheck.InvalidHost(host.TrimEnd('.')));
            }

            return new Evaluation(Snapshot, host, leaf, presented, problems, [], null, [], viaSystem: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new Evaluation(Snapshot, host, leaf, presented, [ChainJudge.Unjudgeable(leaf, ex)], [], null, [], viaSystem: true);
        }
    }
}
