using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Cli;

/// <summary>The privateca tool, run as a process, as an operator runs it.</summary>
public sealed class PrivatecaToolTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<(int ExitCode, string Output, string Error)> Run(params string[] arguments) => Tool.Run(arguments);

    [Fact]
    public async Task Inspect_DebianBundle_ListsEveryCertificate()
    {
        var expected = File.ReadLines("/etc/ssl/certs/ca-certificates.crt").Count(l => l.StartsWith("-----BEGIN CERTIFICATE", StringComparison.Ordinal));

        var (exit, output, _) = await Run("inspect", "/etc/ssl/certs/ca-certificates.crt");

        exit.Should().Be(0);
        output.Should().StartWith($"{expected} certificate(s) from 1 file(s):");
        output.Split("sha256    ").Length.Should().Be(expected + 1);
    }

    [Fact]
    public async Task Inspect_Json_IsOneDocumentWithCertificatesAndDiagnostics()
    {
        var (exit, output, _) = await Run("inspect", "/etc/ssl/certs/ca-certificates.crt", "--json");

        exit.Should().Be(0);
        var document = JsonNode.Parse(output)!;
        document["certificates"]!.AsArray().Should().HaveCountGreaterThan(100);
        document["certificates"]![0]!["sha256"]!.GetValue<string>().Should().HaveLength(64);
        document["diagnostics"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task Inspect_BadInput_OneClearLineAndExitTwo()
    {
        var bad = _dir.Write("bad.pem", "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n");

        var (exit, output, error) = await Run("inspect", bad);

        exit.Should().Be(2);
        output.Should().BeEmpty();
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain(bad).And.Contain("line 1").And.Contain("bad base64");
        error.Should().NotContain("   at ");
    }

    private (string Bundle, string Trusted, string Stranger) OpenSslChains()
    {
        var root = OpenSslCa.Root(_dir, "Tool Root");
        var issuing = root.Intermediate("Tool Issuing");
        var stranger = OpenSslCa.Root(_dir, "Tool Stranger");
        const string Leaf = "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:model.internal,IP:127.0.0.1";
        var trusted = _dir.Write("trusted-chain.pem", File.ReadAllText(issuing.Issue("model.internal", Leaf)) + File.ReadAllText(issuing.Certificate));
        var strange = _dir.Write("stranger-chain.pem", File.ReadAllText(stranger.Issue("stranger.internal", Leaf.Replace("model.internal", "stranger.internal", StringComparison.Ordinal))));
        return (root.Certificate, trusted, strange);
    }

    [Fact]
    public async Task Verify_Crl_RevokedLeafIsNotTrusted_AndATamperedCrlIsBadInput()
    {
        var root = Pki.Root("Tool CRL Root");
        var issuing = Pki.Intermediate("Tool CRL Issuing", root);
        var leaf = Pki.Server(issuing, "model.internal");
        var bundle = _dir.Write("crl-root.pem", Pki.PemOf(root));
        var chain = _dir.Write("crl-chain.pem", Pki.PemOf(leaf, issuing));
        var builder = new System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder();
        builder.AddEntry(leaf, DateTimeOffset.UtcNow.AddMinutes(-1), System.Security.Cryptography.X509Certificates.X509RevocationReason.Superseded);
        var der = builder.Build(issuing, System.Numerics.BigInteger.One, DateTimeOffset.UtcNow.AddDays(1), System.Security.Cryptography.HashAlgorithmName.SHA256);
        var crl = _dir.Write("issuing.crl", System.Security.Cryptography.PemEncoding.WriteString("X509 CRL", der));
        var rootCrl = new System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder().Build(root, System.Numerics.BigInteger.One, DateTimeOffset.UtcNow.AddDays(1), System.Security.Cryptography.HashAlgorithmName.SHA256);
        var tamperedRoot = (byte[])rootCrl.Clone();
        tamperedRoot[^3] ^= 0x01;
        var tamperedRootPath = _dir.Write("tampered-root.crl", System.Security.Cryptography.PemEncoding.WriteString("X509 CRL", tamperedRoot));

        var revoked = await Run("verify", "--bundle", bundle, "--chain", chain, "--host", "model.internal", "--crl", crl);
        var withoutCrl = await Run("verify", "--bundle", bundle, "--chain", chain, "--host", "model.internal");
        var badCrl = await Run("verify", "--bundle", bundle, "--chain", chain, "--host", "model.internal", "--crl", tamperedRootPath);

        revoked.ExitCode.Should().Be(3);
        revoked.Output.Should().Contain("NOT TRUSTED").And.Contain("revoked").And.Contain("superseded");
        withoutCrl.ExitCode.Should().Be(0);
        badCrl.ExitCode.Should().Be(2, badCrl.Output + badCrl.Error);
        badCrl.Error.Should().Contain("tampered-root.crl");
    }

    [Fact]
    public async Task Verify_OpenSslChains_TrustedUntrustedAndNameMismatch()
    {
        var (bundle, trusted, stranger) = OpenSslChains();

        var ok = await Run("verify", "--bundle", bundle, "--chain", trusted, "--host", "model.internal");
        var untrusted = await Run("verify", "--bundle", bundle, "--chain", stranger, "--host", "stranger.internal");
        var mismatch = await Run("verify", "--bundle", bundle, "--chain", trusted, "--host", "other.internal", "--json");

        ok.ExitCode.Should().Be(0);
        ok.Output.Should().StartWith("TRUSTED: model.internal");
        untrusted.ExitCode.Should().Be(3);
        untrusted.Output.Should().Contain("NOT TRUSTED").And.Contain("issuer 'CN=Tool_Stranger' is not in the 1 anchor");
        mismatch.ExitCode.Should().Be(3);
        var document = JsonNode.Parse(mismatch.Output)!;
        document["failure"]!.GetValue<string>().Should().Be("NameMismatch");
        document["reason"]!.GetValue<string>().Should().Be("certificate is for DNS:model.internal, IP:127.0.0.1, not other.internal");
    }

    [Fact]
    public async Task Probe_KestrelServers_TrustedUntrustedWrongHostAndNothingListening()
    {
        var root = Pki.Root("Probe Root");
        var issuing = Pki.Intermediate("Probe Issuing", root);
        var bundle = _dir.Write("probe-ca.pem", Pki.PemOf(root));
        await using var good = await TlsServer.StartAsync(Pki.Issue("probe", issuing, new Pki.Spec { IpAddresses = [IPAddress.Loopback], DnsNames = ["localhost"] }), [issuing]);
        await using var wrongName = await TlsServer.StartAsync(Pki.Server(issuing, "elsewhere.internal"), [issuing]);
        await using var stranger = await TlsServer.StartAsync(Pki.Server(Pki.Root("Probe Stranger"), "localhost"));
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var trusted = await Run("probe", $"https://127.0.0.1:{good.Port}", "--bundle", bundle);
        var untrusted = await Run("probe", $"https://localhost:{stranger.Port}", "--bundle", bundle);
        var mismatch = await Run("probe", $"https://127.0.0.1:{wrongName.Port}", "--bundle", bundle);
        var nothing = await Run("probe", $"https://127.0.0.1:{closedPort}", "--bundle", bundle, "--timeout", "5");

        trusted.ExitCode.Should().Be(0, trusted.Output + trusted.Error);
        trusted.Output.Should().StartWith($"TRUSTED: 127.0.0.1:{good.Port}");
        untrusted.ExitCode.Should().Be(3);
        untrusted.Output.Should().Contain("issuer 'CN=Probe Stranger' is not in the 1 anchor").And.Contain("Presented chain:").And.Contain("Fix:");
        mismatch.ExitCode.Should().Be(3);
        mismatch.Output.Should().Contain("certificate is for DNS:elsewhere.internal, not the IP address 127.0.0.1");
        nothing.ExitCode.Should().Be(4);
        nothing.Error.Trim().Should().StartWith($"privateca: cannot reach 127.0.0.1:{closedPort}");
    }

    [Fact]
    public async Task Merge_SystemPlusPrivate_LoadsBackDeduplicatedAndIsByteIdenticalAcrossRuns()
    {
        var privateRoot = Pki.Root("Merge Private Root");
        var added = _dir.Write("private.pem", Pki.PemOf(privateRoot, privateRoot));
        var first = _dir.File("merged-1.pem");
        var second = _dir.File("merged-2.pem");
        using var system = new System.Security.Cryptography.X509Certificates.X509Store(
            System.Security.Cryptography.X509Certificates.StoreName.Root, System.Security.Cryptography.X509Certificates.StoreLocation.LocalMachine);
        system.Open(System.Security.Cryptography.X509Certificates.OpenFlags.ReadOnly);
        var systemCount = system.Certificates.Select(c => c.Thumbprint).Distinct().Count();

        var one = await Run("merge", "--system", "--add", added, "--out", first);
        var two = await Run("merge", "--system", "--add", added, "--out", second);

        one.ExitCode.Should().Be(0, one.Error);
        two.ExitCode.Should().Be(0);
        File.ReadAllBytes(first).Should().Equal(File.ReadAllBytes(second));
        var merged = CertificateBundleLoader.Load(first);
        merged.Count.Should().Be(systemCount + 1);
        merged.Diagnostics.Should().NotContain(d => d.Code == BundleDiagnosticCode.DuplicateCertificate);
        File.ReadAllText(first).Should().Contain("# CN=Merge Private Root\n# SHA-256: ");
        Directory.GetFiles(_dir.Path, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public async Task Inspect_CaWithNonCriticalBasicConstraints_ReportsTheStrictRule()
    {
        var (legacy, _) = OpenSsl.CreateRoot(_dir, "Legacy Root", "-addext", "basicConstraints=CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");

        var (exit, output, _) = await Run("inspect", legacy);

        exit.Should().Be(0);
        output.Should().Contain("    strict    ").And.Contain("would be rejected by strict validators (Python 3.13 strict mode, rustls, ValidationProfile.Strict): ca-basic-constraints: its basicConstraints is not marked critical");
    }

    [Fact]
    public async Task Verify_ProfileStrict_RejectsWhatPlatformAccepts()
    {
        var root = OpenSslCa.Root(_dir, "Profile Root");
        var chain = root.Issue("model.internal", "keyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:model.internal");

        var platform = await Run("verify", "--bundle", root.Certificate, "--chain", chain, "--host", "model.internal");
        var strict = await Run("verify", "--bundle", root.Certificate, "--chain", chain, "--host", "model.internal", "--profile", "strict");

        platform.ExitCode.Should().Be(0);
        strict.ExitCode.Should().Be(3);
        strict.Output.Should().Contain("Strict profile rule 'leaf-eku-server-auth' is broken by 'CN=model.internal'");
    }

    [Fact]
    public async Task Inspect_Summary_CountsExpiredDuplicatesAndEarliestExpiry()
    {
        var bundle = CertificateBundleLoader.Load("/etc/ssl/certs/ca-certificates.crt");
        var expired = bundle.Diagnostics.Count(d => d.Code == BundleDiagnosticCode.Expired);

        var (exit, output, _) = await Run("inspect", "--summary", "/etc/ssl/certs/ca-certificates.crt");
        var json = await Run("--json", "inspect", "--summary", "/etc/ssl/certs/ca-certificates.crt");

        exit.Should().Be(0);
        output.Should().StartWith($"{bundle.Count} certificate(s) from 1 file(s):").And.Contain($"expired               {expired}\n").And.Contain("earliest expiry       20");
        output.Split('\n').Length.Should().BeLessThan(20);
        var document = JsonNode.Parse(json.Output)!;
        document["certificates"]!.GetValue<int>().Should().Be(bundle.Count);
        document["expired"]!.GetValue<int>().Should().Be(expired);
        document["earliestExpiry"]!["notAfter"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }
}
