using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>
/// For chains made by the openssl command line, the engine's verdict equals 'openssl verify' with
/// -purpose sslserver, -verify_hostname (or -verify_ip) and, where intermediate anchors are allowed, -partial_chain.
/// </summary>
public sealed class OpenSslDifferentialTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public sealed record Scenario(string Name, string Leaf, string[] Untrusted, string[] Bundle, string Host, bool PartialChain = false);

    private static string Leaf(string names, string eku = "serverAuth") =>
        $"extendedKeyUsage={eku}\nkeyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\nsubjectAltName={names}";

    private IEnumerable<Scenario> Cases()
    {
        var root = OpenSslCa.Root(_dir, "Diff Root");
        var issuing = root.Intermediate("Diff Issuing");
        var stranger = OpenSslCa.Root(_dir, "Diff Stranger");
        var strangerIssuing = stranger.Intermediate("Diff Stranger Issuing");
        var zeroPath = root.Intermediate("Diff Pathlen0", "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign");
        var tooDeep = zeroPath.Intermediate("Diff Too Deep");
        var constrained = root.Intermediate("Diff Constrained", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nnameConstraints=critical,permitted;DNS:corp.example");
        var notCa = issuing.Intermediate("Diff Not CA", "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyCertSign,digitalSignature");
        var selfSigned = OpenSslCa.Root(_dir, "selfsigned.internal", "basicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:selfsigned.internal\nextendedKeyUsage=serverAuth").Certificate;

        var good = issuing.Issue("model.internal", Leaf("DNS:model.internal"));
        yield return new Scenario("trusted, intermediate sent", good, [issuing.Certificate], [root.Certificate], "model.internal");
        yield return new Scenario("intermediate omitted, bundle has it", good, [], [root.Certificate, issuing.Certificate], "model.internal");
        yield return new Scenario("intermediate omitted, bundle lacks it", good, [], [root.Certificate], "model.internal");
        yield return new Scenario("untrusted root", strangerIssuing.Issue("stranger.internal", Leaf("DNS:stranger.internal")), [strangerIssuing.Certificate], [root.Certificate], "stranger.internal");
        yield return new Scenario("expired leaf", issuing.Issue("expired.internal", Leaf("DNS:expired.internal"), DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1)), [issuing.Certificate], [root.Certificate], "expired.internal");
        yield return new Scenario("not yet valid leaf", issuing.Issue("future.internal", Leaf("DNS:future.internal"), DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(30)), [issuing.Certificate], [root.Certificate], "future.internal");
        yield return new Scenario("host name mismatch", good, [issuing.Certificate], [root.Certificate], "other.internal");
        yield return new Scenario("wildcard", issuing.Issue("wild", Leaf("DNS:*.corp.example")), [issuing.Certificate], [root.Certificate], "model.corp.example");
        yield return new Scenario("wildcard two levels down", issuing.Issue("wild2", Leaf("DNS:*.corp.example")), [issuing.Certificate], [root.Certificate], "a.model.corp.example");
        yield return new Scenario("IP SAN", issuing.Issue("ip", Leaf("IP:10.0.0.7")), [issuing.Certificate], [root.Certificate], "10.0.0.7");
        yield return new Scenario("IP SAN, other IP", issuing.Issue("ip2", Leaf("IP:10.0.0.7")), [issuing.Certificate], [root.Certificate], "10.0.0.8");
        yield return new Scenario("issued by CA:false", notCa.Issue("notca.internal", Leaf("DNS:notca.internal")), [notCa.Certificate, issuing.Certificate], [root.Certificate], "notca.internal");
        yield return new Scenario("path length exceeded", tooDeep.Issue("deep.internal", Leaf("DNS:deep.internal")), [tooDeep.Certificate, zeroPath.Certificate], [root.Certificate], "deep.internal");
        yield return new Scenario("name constraints respected", constrained.Issue("in.corp.example", Leaf("DNS:in.corp.example")), [constrained.Certificate], [root.Certificate], "in.corp.example");
        yield return new Scenario("name constraints violated", constrained.Issue("out.other.example", Leaf("DNS:out.other.example")), [constrained.Certificate], [root.Certificate], "out.other.example");
        yield return new Scenario("client-auth only EKU", issuing.Issue("client.internal", Leaf("DNS:client.internal", "clientAuth")), [issuing.Certificate], [root.Certificate], "client.internal");
        yield return new Scenario("self-signed leaf not in bundle", selfSigned, [], [root.Certificate], "selfsigned.internal");
        yield return new Scenario("self-signed leaf in bundle", selfSigned, [], [selfSigned], "selfsigned.internal");
        yield return new Scenario("intermediate anchor, not allowed", good, [issuing.Certificate], [issuing.Certificate], "model.internal");
        yield return new Scenario("intermediate anchor, allowed", good, [issuing.Certificate], [issuing.Certificate], "model.internal", PartialChain: true);
        yield return new Scenario("intermediate anchor, allowed, not sent", good, [], [issuing.Certificate], "model.internal", PartialChain: true);
    }

    [Fact]
    public void Validate_OpenSslMadeChains_VerdictEqualsOpenSslVerify()
    {
        var mismatches = new List<string>();
        var trusted = new List<string>();
        var count = 0;
        foreach (var test in Cases())
        {
            var bundle = _dir.Write($"bundle-{count}.pem", string.Concat(test.Bundle.Select(File.ReadAllText)));
            var untrusted = _dir.Write($"untrusted-{count}.pem", string.Concat(test.Untrusted.Select(File.ReadAllText)));
            count++;

            var openSslTrusts = OpenSslVerify(test, bundle, untrusted);
            if (openSslTrusts)
            {
                trusted.Add(test.Name);
            }

            var options = new PrivateCaTrustOptions { UseEnvironment = false, AllowIntermediateAnchors = test.PartialChain };
            options.BundlePaths.Add(bundle);
            var presented = new X509Certificate2Collection();
            foreach (var path in test.Untrusted)
            {
                presented.ImportFromPemFile(path);
            }

            var verdict = new CustomRootTrustValidator(options).Validate(X509CertificateLoader.LoadCertificateFromFile(test.Leaf), presented, test.Host);
            if (verdict.IsTrusted != openSslTrusts)
            {
                mismatches.Add($"{test.Name}: openssl {(openSslTrusts ? "trusts" : "rejects")}, PrivateCa {(verdict.IsTrusted ? "trusts" : "rejects")} ({verdict.Summary})");
            }
        }

        count.Should().Be(21);
        trusted.Should().BeEquivalentTo(
            "trusted, intermediate sent", "intermediate omitted, bundle has it", "wildcard", "IP SAN", "name constraints respected",
            "self-signed leaf in bundle", "intermediate anchor, allowed", "intermediate anchor, allowed, not sent");
        mismatches.Should().BeEmpty();
    }

    private bool OpenSslVerify(Scenario test, string bundle, string untrusted)
    {
        var arguments = new List<string> { "verify", "-CAfile", bundle, "-purpose", "sslserver" };
        if (test.Untrusted.Length > 0)
        {
            arguments.AddRange(["-untrusted", untrusted]);
        }

        arguments.AddRange(System.Net.IPAddress.TryParse(test.Host, out _) ? ["-verify_ip", test.Host] : ["-verify_hostname", test.Host]);
        if (test.PartialChain)
        {
            arguments.Add("-partial_chain");
        }

        arguments.Add(test.Leaf);
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir.Path };
        arguments.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
