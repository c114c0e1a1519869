using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// Whether the server certificate is for the host: subjectAltName DNS names and IP addresses, wildcards as the whole
/// leftmost label. The subject common name is consulted only with <see cref="PrivateCaTrustOptions.AllowCommonNameFallback"/>,
/// for DNS names, without a subjectAltName, and never under a CA with name constraints (which .NET does not apply to a common name).
/// </summary>
internal static class HostNameCheck
{
    public static void Check(TrustSettings settings, X509Certificate2 leaf, CertificateFacts leafFacts, string host, IReadOnlyList<CertificateFacts> chain,
        SslPolicyErrors? platformErrors, List<TrustProblem> problems)
    {
        try
        {
            CheckCore(settings, leaf, leafFacts, host, chain, platformErrors, problems);
        }
        catch (ArgumentException)
        {
            // The platform matcher throws on a host no certificate can be for; the certificate is not to blame.
            problems.Add(InvalidHost(host.TrimEnd('.')));
        }
    }

    private static void CheckCore(TrustSettings settings, X509Certificate2 leaf, CertificateFacts leafFacts, string host, IReadOnlyList<CertificateFacts> chain,
        SslPolicyErrors? platformErrors, List<TrustProblem> problems)
    {
        var name = host.TrimEnd('.');
        var hasSan = leafFacts.Extensions.Any(e => e.Oid == Oids.SubjectAltName);
        if (!hasSan)
        {
            var refusal = CommonNameRefusal(settings, name, chain);
            if (refusal is null && leaf.MatchesHostname(name, allowWildcards: true, allowCommonName: true) && !PlatformMismatch(platformErrors))
            {
                return;
            }

            problems.Add(new TrustProblem(TrustFailure.NameMismatch,
                $"'{NameText.Name(leaf.Subject)}' has no subjectAltName, so it names no host{(refusal is null ? string.Empty : $" ({refusal})")}, and {host} is not its common name",
                $"Reissue the server certificate with a subjectAltName for {host} (openssl: -addext \"subjectAltName=DNS:{host}\"){(refusal is null || !settings.AllowCommonNameFallback ? ", or, for a legacy CA, set AllowCommonNameFallback = true (DNS names only)" : string.Empty)}."));
            return;
        }

        if (leaf.MatchesHostname(name, allowWildcards: true, allowCommonName: false) && !PlatformMismatch(platformErrors) && !OnlyByWideWildcard(leaf, name))
        {
            return;
        }

        var names = CertificateText.NamesOf(leaf);
        var listed = ListNames(names);
        problems.Add(new TrustProblem(TrustFailure.NameMismatch,
            $"certificate is for {(names.Count == 0 ? "no host name at all" : listed)}, not {(IPAddress.TryParse(name.Trim('[', ']'), out _) ? "the IP address " : string.Empty)}{host}",
            names.Count == 0
                ? (FormattableString)$"Reissue the server certificate with a subjectAltName for {host}."
                : $"Call the server by a name its certificate holds ({listed}), or reissue it with a subjectAltName for {host}."));
    }

    /// <summary>The <see cref="TrustFailure.NameMismatch"/> problem of a host that is not a name a certificate can be matched
    /// against (an invalid IDN, an empty label), which the platform matcher throws on.</summary>
    public static TrustProblem InvalidHost(string name) =>
        new(TrustFailure.NameMismatch,
            $"'{name}' is not a valid DNS host name or IP address, so no certificate can be for it",
            $"Give the host name the client connects to ('model.internal', '10.0.0.7'), in Unicode or punycode.");

    /// <summary>At most <see cref="MaxNamesListed"/> names: a server's certificate may carry thousands, and the reason goes into
    /// every exception message and rejection log line of every handshake.
    /// Each name is cut to <see cref="NameText.MaxNameLength"/> characters, for the same reason.</summary>
    private static string ListNames(IReadOnlyList<string> names) =>
        names.Count <= MaxNamesListed
            ? string.Join(", ", names.Select(NameText.Name))
            : $"{string.Join(", ", names.Take(MaxNamesListed).Select(NameText.Name))} and {names.Count - MaxNamesListed} more";

    private const int MaxNamesListed = 10;

    /// <summary>Why the common name may not be used for this host; null when it may.</summary>
    private static string? CommonNameRefusal(TrustSettings settings, string host, IReadOnlyList<CertificateFacts> chain)
    {
        if (!settings.AllowCommonNameFallback || settings.Profile == ValidationProfile.Strict)
        {
            return "PrivateCa does not match host names against the subject common name, as RFC 6125, Chrome and Go do not";
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return "an IP address is never matched against a common name";
        }

        for (var i = 1; i < chain.Count; i++)
        {
            if (chain[i].Extensions.Any(e => e.Oid == Oids.NameConstraints))
            {
                return "a CA of the chain has name constraints, which are not applied to a common name, so it is not used";
            }
        }

        return null;
    }

    /// <summary>Whether the host matched only through a wildcard over a single label ("*.internal"), which OpenSSL's
    /// matcher (and so the TLS layer) refuses, as browsers do: a wildcard covers names under a domain, not a whole top-level name.</summary>
    private static bool OnlyByWideWildcard(X509Certificate2 leaf, string host)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return false;
        }

        foreach (var extension in leaf.Extensions)
        {
            if (extension is not X509SubjectAlternativeNameExtension san)
            {
                continue;
            }

            foreach (var dns in san.EnumerateDnsNames())
            {
                var pattern = dns.TrimEnd('.');
                if (string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                if (pattern.StartsWith("*.", StringComparison.Ordinal) && pattern.AsSpan(2).Contains('.') && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool PlatformMismatch(SslPolicyErrors? platformErrors) =>
        platformErrors is { } errors && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0;
}
