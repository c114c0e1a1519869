using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// The name-constraints matrix: every combination of a constraint table (DNS, IPv4, IPv6, directoryName; permitted and
/// excluded; at the root, at the intermediate, at both) and a leaf table (subjectAltName sets crossed with subjects whose
/// common names look like host names inside or outside the constraints) — several thousand chains made with
/// <see cref="CertificateRequest"/> and P-256 keys reused across chains. Strict's verdict on each is checked against an
/// expectation computed here from the tables alone, with nothing of PrivateCa's evaluator: label lists for DNS,
/// <see cref="IPNetwork"/> for addresses, RDN lists for directory names, wildcards expanded into concrete names.
/// A sample goes through 'openssl verify' as well, and every disagreement is reported with its reason.
/// </summary>
public sealed class NameConstraintMatrixTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Made once for both tests.</summary>
    private static readonly Lazy<List<Chain>> Matrix = new(() => [.. Generate()]);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>One constraint set: permitted and excluded subtrees in the notation of <see cref="NameConstraintsDer"/>.</summary>
    private sealed record Constraint(string Id, string[] Permitted, string[] Excluded);

    private static readonly Constraint[] Constraints =
    [
        new("dns-permit", ["DNS:corp.example"], []),
        new("dns-permit-dot", ["DNS:.corp.example"], []),
        new("dns-permit-case", ["DNS:Corp.EXAMPLE"], []),
        new("dns-permit-broad", ["DNS:example"], []),
        new("dns-exclude", [], ["DNS:secret.corp.example"]),
        new("dns-exclude-dot", [], ["DNS:.secret.corp.example"]),
        new("dns-permit-exclude", ["DNS:corp.example"], ["DNS:secret.corp.example"]),
        new("dns-exclude-all", [], ["DNS:"]),
        new("ipv4-permit", ["IP:10.0.0.0/8"], []),
        new("ipv4-exclude", [], ["IP:10.9.0.0/16"]),
        new("ipv4-host", ["IP:10.1.2.3/32"], []),
        new("ipv6-permit", ["IP:fd00::/8"], []),
        new("ipv6-exclude", [], ["IP:fd00:1::/32"]),
        new("ip-both-families", ["IP:10.0.0.0/8", "IP:fd00::/8"], []),
        new("dn-permit", ["DirName:O=Acme, C=GB"], []),
        new("dn-exclude", [], ["DirName:OU=Secret, O=Acme, C=GB"]),
        new("dns-and-ip", ["DNS:corp.example", "IP:10.0.0.0/8"], []),
        new("mixed-exclude", ["DNS:corp.example"], ["IP:10.9.0.0/16", "DirName:OU=Secret, O=Acme, C=GB"]),
    ];

    /// <summary>Both a root constraint and an intermediate one: the two must each be met.</summary>
    private static readonly (string Root, string Intermediate)[] Stacked =
    [
        ("dns-permit", "dns-exclude"), ("dns-permit-broad", "dns-permit-dot"), ("dns-permit", "ipv4-permit"), ("ipv4-permit", "ipv4-exclude"),
        ("ipv6-permit", "ipv6-exclude"), ("dn-permit", "dns-permit"), ("dn-permit", "dn-exclude"), ("dns-exclude-all", "ipv4-permit"),
        ("ip-both-families", "dns-and-ip"), ("dns-permit-case", "mixed-exclude"),
    ];

    private static readonly string[][] AltNameSets =
    [
        ["DNS:corp.example"], ["DNS:model.corp.example"], ["DNS:MODEL.Corp.Example"], ["DNS:a.b.corp.example"], ["DNS:evilcorp.example"],
        ["DNS:corp.example.evil"], ["DNS:secret.corp.example"], ["DNS:db.secret.corp.example"], ["DNS:*.corp.example"], ["DNS:*.secret.corp.example"],
        ["DNS:model.internal"], ["DNS:xn--bcher-kva.corp.example"],
        ["IP:10.0.0.1"], ["IP:10.9.1.1"], ["IP:11.0.0.1"], ["IP:10.1.2.3"], ["IP:fd00::1"], ["IP:fd00:1::5"], ["IP:fe80::1"], ["IP:::ffff:10.0.0.1"],
        ["DNS:model.corp.example", "IP:10.0.0.1"], ["DNS:model.corp.example", "DNS:evil.example"], ["IP:10.0.0.1", "IP:fd00::1"],
        ["DNS:db.secret.corp.example", "DNS:model.corp.example"], ["DNS:*.corp.example", "IP:10.9.1.1"],
    ];

    /// <summary>Subjects: the common name looks like a host name inside or outside the DNS and IP constraints; directory names inside and outside.</summary>
    private static readonly string[] Subjects =
    [
        "CN=model.corp.example, O=Acme, C=GB", "CN=evil.example, O=Acme, C=GB", "CN=10.9.1.1, O=Other, C=GB", "CN=x, OU=Secret, O=Acme, C=GB", "CN=evil.example",
    ];

    private sealed record Chain(string Id, X509Certificate2 Leaf, X509Certificate2 Intermediate, X509Certificate2 Root, Constraint? RootConstraint,
        Constraint? IntermediateConstraint, string[] AltNames, string Subject, string IntermediateSubject);

    [Fact]
    public void Validate_StrictOverTheMatrix_GivesTheVerdictRfc5280Requires()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var chains = Matrix.Value;
        output.WriteLine($"generated in {started.Elapsed.TotalSeconds:0.0} s");
        chains.Count.Should().BeGreaterThan(4000);

        var options = new PrivateCaTrustOptions { UseEnvironment = false, Profile = ValidationProfile.Strict };
        options.BundlePaths.Add(_dir.Write("roots.pem", Pki.PemOf([.. chains.Select(c => c.Root).DistinctBy(r => r.Thumbprint)])));
        var validator = new CustomRootTrustValidator(options);

        var wrong = new List<string>();
        var rejected = 0;
        foreach (var chain in chains)
        {
            var expected = Expected(chain);
            var verdict = validator.Validate(chain.Leaf, [chain.Intermediate], HostOf(chain.AltNames[0]), At);
            var fine = expected is null
                ? verdict.IsTrusted
                : !verdict.IsTrusted && verdict.Failure == TrustFailure.NameConstraints;
            rejected += expected is null ? 0 : 1;
            if (!fine)
            {
                wrong.Add($"{chain.Id}: expected {(expected is null ? "trusted" : $"rejected ({expected})")}, got {(verdict.IsTrusted ? "trusted" : verdict.Reason)}");
            }
        }

        output.WriteLine($"{chains.Count} chains, {rejected} to be rejected, {wrong.Count} wrong; {started.Elapsed.TotalSeconds:0.0} s in all");
        wrong.Should().BeEmpty(string.Join(Environment.NewLine, wrong.Take(20)));
        rejected.Should().BeGreaterThan(chains.Count / 5).And.BeLessThan(chains.Count * 4 / 5);
    }

    [Fact]
    public void OpenSslVerify_SampleOfTheMatrix_DisagreesOnlyWhereExplained()
    {
        var chains = Matrix.Value.Where((_, i) => i % 97 == 0).ToList();
        var unexplained = new List<string>();
        var explained = new Dictionary<string, int>();
        foreach (var chain in chains)
        {
            var expected = Expected(chain) is null;
            var openssl = OpenSslTrusts(chain);
            if (openssl == expected)
            {
                continue;
            }

            var why = WhyOpenSslDiffers(chain, openssl);
            if (why is null)
            {
                unexplained.Add($"{chain.Id}: RFC 5280 says {(expected ? "trusted" : "rejected")}, openssl verify says {(openssl ? "trusted" : "rejected")}");
            }
            else
            {
                explained[why] = explained.GetValueOrDefault(why) + 1;
                output.WriteLine($"{chain.Id}: openssl {(openssl ? "trusts" : "rejects")} — {why}");
            }
        }

        output.WriteLine($"{chains.Count} chains through openssl verify; explained disagreements: {string.Join("; ", explained.Select(e => $"{e.Value} × {e.Key}"))}");
        unexplained.Should().BeEmpty(string.Join(Environment.NewLine, unexplained));
    }

    /// <summary>Why OpenSSL's verdict differs from RFC 5280 on this chain, when it is a known difference; null otherwise.</summary>
    private static string? WhyOpenSslDiffers(Chain chain, bool opensslTrusts)
    {
        var dnsConstrained = new[] { chain.RootConstraint, chain.IntermediateConstraint }.Any(c => c is not null && c.Permitted.Concat(c.Excluded).Any(s => s.StartsWith("DNS:", StringComparison.Ordinal)));
        var commonName = chain.Subject.Split(", ")[0]["CN=".Length..];
        if (!opensslTrusts && dnsConstrained && !chain.AltNames.Any(n => n.StartsWith("DNS:", StringComparison.Ordinal)) && commonName.Contains('.', StringComparison.Ordinal))
        {
            return "OpenSSL reads a host-like common name as a DNS name when the subjectAltName has no dNSName";
        }

        var excludesDns = new[] { chain.RootConstraint, chain.IntermediateConstraint }.Any(c => c is not null && c.Excluded.Any(s => s.StartsWith("DNS:", StringComparison.Ordinal)));
        if (opensslTrusts && excludesDns && chain.AltNames.Any(n => n.StartsWith("DNS:*.", StringComparison.Ordinal)))
        {
            return "OpenSSL compares a wildcard name with excluded subtrees as if '*' were an ordinary label, so '*.corp.example' escapes an exclusion of 'secret.corp.example', one of the names it matches";
        }

        return null;
    }

    private bool OpenSslTrusts(Chain chain)
    {
        var root = _dir.Write($"{chain.Id}-root.pem", chain.Root.ExportCertificatePem());
        var intermediate = _dir.Write($"{chain.Id}-ca.pem", chain.Intermediate.ExportCertificatePem());
        var leaf = _dir.Write($"{chain.Id}-leaf.pem", chain.Leaf.ExportCertificatePem());
        try
        {
            OpenSsl.Run(_dir.Path, "verify", "-attime", At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "-CAfile", root, "-untrusted", intermediate, leaf);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string HostOf(string name) => name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..].Replace("*", "w", StringComparison.Ordinal);

    // ---- the expectation, from the tables alone ----

    /// <summary>Null when RFC 5280 (WebPKI reading) accepts the chain; otherwise the first name that breaks a constraint.</summary>
    private static string? Expected(Chain chain)
    {
        var leafNames = chain.AltNames.Append("DirName:" + chain.Subject).ToArray();
        var intermediateNames = new[] { "DirName:" + chain.IntermediateSubject };
        if (chain.RootConstraint is { } root)
        {
            if (Breaks(root, intermediateNames) is { } a)
            {
                return $"intermediate {a} vs root {root.Id}";
            }

            if (Breaks(root, leafNames) is { } b)
            {
                return $"leaf {b} vs root {root.Id}";
            }
        }

        return chain.IntermediateConstraint is { } intermediate && Breaks(intermediate, leafNames) is { } c ? $"leaf {c} vs intermediate {intermediate.Id}" : null;
    }

    private static string? Breaks(Constraint constraint, string[] names)
    {
        foreach (var name in names)
        {
            var kind = name[..name.IndexOf(':', StringComparison.Ordinal)];
            var value = name[(kind.Length + 1)..];
            if (constraint.Excluded.Where(s => s.StartsWith(kind + ":", StringComparison.Ordinal)).Any(s => Contains(kind, s[(kind.Length + 1)..], value, exclusion: true)))
            {
                return $"{name} excluded";
            }

            var permitted = constraint.Permitted.Where(s => s.StartsWith(kind + ":", StringComparison.Ordinal)).ToList();
            if (permitted.Count > 0 && !permitted.Any(s => Contains(kind, s[(kind.Length + 1)..], value, exclusion: false)))
            {
                return $"{name} not permitted";
            }
        }

        return null;
    }

    private static bool Contains(string kind, string subtree, string value, bool exclusion) => kind switch
    {
        "DNS" => DnsContains(subtree, value, exclusion),
        "IP" => IpContains(IPNetwork.Parse(subtree), IPAddress.Parse(value)),
        "DirName" => DirectoryContains(subtree, value),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static bool DnsContains(string subtree, string name, bool exclusion)
    {
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            // A wildcard stands for every name one label under its base: expand it with every label the tables use and one they do not.
            var expansions = Constraints.SelectMany(c => c.Permitted.Concat(c.Excluded)).Where(s => s.StartsWith("DNS:", StringComparison.Ordinal))
                .SelectMany(s => s[4..].Split('.', StringSplitOptions.RemoveEmptyEntries)).Append("fresh-label").Distinct()
                .Select(label => label + name[1..]);
            return exclusion ? expansions.Any(e => DnsContains(subtree, e, exclusion)) : expansions.All(e => DnsContains(subtree, e, exclusion));
        }

        var labels = name.ToLowerInvariant().Split('.').Reverse().ToArray();
        var strict = subtree.StartsWith('.');
        var base_ = (strict ? subtree[1..] : subtree).ToLowerInvariant();
        var baseLabels = base_.Length == 0 ? [] : base_.Split('.').Reverse().ToArray();
        return (strict ? labels.Length > baseLabels.Length : labels.Length >= baseLabels.Length) && labels.Take(baseLabels.Length).SequenceEqual(baseLabels);
    }

    /// <summary>RFC 5280 compares octets: a 16-octet address (an IPv4-mapped one included) is never in an 8-octet IPv4 range.</summary>
    private static bool IpContains(IPNetwork network, IPAddress address) =>
        address.GetAddressBytes().Length == network.BaseAddress.GetAddressBytes().Length && network.Contains(address);

    private static bool DirectoryContains(string subtree, string name)
    {
        static string[] Rdns(string dn) => [.. dn.Split(", ").Reverse().Select(r => r.ToLowerInvariant())];
        var prefix = Rdns(subtree);
        var rdns = Rdns(name);
        return rdns.Length >= prefix.Length && rdns.Take(prefix.Length).SequenceEqual(prefix);
    }

    // ---- generation ----

    private static IEnumerable<Chain> Generate()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var placements = new List<(Constraint? Root, Constraint? Intermediate)>();
        placements.AddRange(Constraints.Select(c => ((Constraint?)c, (Constraint?)null)));
        placements.AddRange(Constraints.Select(c => ((Constraint?)null, (Constraint?)c)));
        placements.AddRange(Stacked.Select(s => ((Constraint?)Constraints.Single(c => c.Id == s.Root), (Constraint?)Constraints.Single(c => c.Id == s.Intermediate))));

        var roots = new Dictionary<string, (X509Certificate2 Certificate, ECDsa Key)>();
        var serial = 1L;
        for (var p = 0; p < placements.Count; p++)
        {
            var (rootConstraint, intermediateConstraint) = placements[p];
            var rootId = rootConstraint?.Id ?? "none";
            if (!roots.TryGetValue(rootId, out var entry))
            {
                // A key per root, so that a key identifier finds one anchor.
                var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                roots[rootId] = entry = (Ca($"CN=Matrix Root {rootId}, O=Acme, C=GB", key, null, key, rootConstraint, serial++), key);
            }

            var (root, rootKey) = entry;

            var intermediateSubject = $"CN=Matrix CA {p}, O=Acme, C=GB";
            var intermediate = Ca(intermediateSubject, caKey, root, rootKey, intermediateConstraint, serial++);
            var leafIndex = 0;
            foreach (var subject in Subjects)
            {
                foreach (var altNames in AltNameSets)
                {
                    var leaf = Leaf(subject, altNames, intermediate, caKey, leafKey, serial++);
                    yield return new Chain($"p{p}-{rootId}-{intermediateConstraint?.Id ?? "none"}-l{leafIndex++}", leaf, intermediate, root,
                        rootConstraint, intermediateConstraint, altNames, subject, intermediateSubject);
                }
            }
        }

        foreach (var (_, key) in roots.Values)
        {
            key.Dispose();
        }
    }

    private static X509Certificate2 Ca(string subject, ECDsa key, X509Certificate2? issuer, ECDsa issuerKey, Constraint? constraint, long serial)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (issuer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        if (constraint is not null)
        {
            request.CertificateExtensions.Add(NameConstraintsDer.Extension(constraint.Permitted, constraint.Excluded));
        }

        return Sign(request, issuer?.SubjectName ?? request.SubjectName, issuerKey, serial);
    }

    private static X509Certificate2 Leaf(string subject, string[] altNames, X509Certificate2 issuer, ECDsa issuerKey, ECDsa key, long serial)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", NameConstraintsDer.SubjectAltName(altNames), critical: false));
        return Sign(request, issuer.SubjectName, issuerKey, serial);
    }

    private static X509Certificate2 Sign(CertificateRequest request, X500DistinguishedName issuer, ECDsa issuerKey, long serial)
    {
        var serialBytes = BitConverter.GetBytes(serial);
        Array.Reverse(serialBytes);
        return request.Create(issuer, X509SignatureGenerator.CreateForECDsa(issuerKey), At.AddDays(-30), At.AddDays(30), serialBytes.AsSpan(serialBytes.AsSpan().IndexOfAnyExcept((byte)0)));
    }
}
