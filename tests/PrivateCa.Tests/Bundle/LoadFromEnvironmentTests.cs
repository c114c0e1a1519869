using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Bundle;

/// <summary>
/// The environment is passed in as a dictionary, so these tests never touch the process environment
/// (which other tests, and this machine's own SSL_CERT_FILE, share).
/// </summary>
public sealed class LoadFromEnvironmentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CertificateBundle? Load(Dictionary<string, string> variables, BundleLoadOptions? options = null) =>
        CertificateBundleLoader.LoadFromEnvironment(name => variables.GetValueOrDefault(name), options ?? new BundleLoadOptions());

    private string Root(string name) => _dir.Write($"{name}.pem", TestPki.CreateRoot(name).Pem());

    [Fact]
    public void LoadFromEnvironment_NothingSet_ReturnsNull()
    {
        Load([]).Should().BeNull();
    }

    [Fact]
    public void LoadFromEnvironment_BlankValues_CountAsUnset()
    {
        Load(new() { ["SSL_CERT_FILE"] = "", ["REQUESTS_CA_BUNDLE"] = "  " }).Should().BeNull();
    }

    [Fact]
    public void LoadFromEnvironment_EveryVariableSet_FirstDecidesAndOthersAreReportedNotUsed()
    {
        var hashed = Directory.CreateDirectory(_dir.File("hashed")).FullName;
        File.WriteAllText(Path.Combine(hashed, "0a1b2c3d.0"), TestPki.CreateRoot("Dir Root").Pem());
        var variables = new Dictionary<string, string>
        {
            ["NODE_EXTRA_CA_CERTS"] = Root("Node"),
            ["SSL_CERT_DIR"] = hashed,
            ["CURL_CA_BUNDLE"] = Root("Curl"),
            ["REQUESTS_CA_BUNDLE"] = Root("Requests"),
            ["SSL_CERT_FILE"] = Root("SslCertFile"),
        };

        var bundle = Load(variables)!;

        bundle.SourceDetails.Should().ContainSingle().Which.Variable.Should().Be("SSL_CERT_FILE");
        bundle.Certificates.Select(c => c.Subject).Should().Equal("CN=SslCertFile");
        bundle.ExtendsSystemTrust.Should().BeFalse();
        var unused = bundle.Diagnostics.Where(d => d.Code == BundleDiagnosticCode.EnvironmentVariableNotUsed).ToList();
        unused.Select(d => d.Message[..d.Message.IndexOf(' ', StringComparison.Ordinal)]).Should().Equal("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS");
        unused.Should().OnlyContain(d => d.Severity == BundleDiagnosticSeverity.Warning && d.Message.Contains("SSL_CERT_FILE decides", StringComparison.Ordinal));
        unused[2].Source.Should().Be(hashed);
    }

    [Fact]
    public void LoadFromEnvironment_UnusedVariableNamingMissingFile_DoesNotFailTheLoad()
    {
        // Only the deciding variable is read, so a stale later variable cannot break (or widen) trust.
        var bundle = Load(new() { ["REQUESTS_CA_BUNDLE"] = Root("Requests"), ["CURL_CA_BUNDLE"] = _dir.File("gone.pem") })!;

        bundle.Certificates.Select(c => c.Subject).Should().Equal("CN=Requests");
        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.EnvironmentVariableNotUsed)
            .Which.Message.Should().StartWith($"CURL_CA_BUNDLE is set ({_dir.File("gone.pem")}) but not used: REQUESTS_CA_BUNDLE decides");
    }

    [Fact]
    public void LoadFromEnvironment_NodeExtraCaCertsWithAnother_ReplacesSystemTrust()
    {
        var bundle = Load(new() { ["SSL_CERT_DIR"] = "", ["CURL_CA_BUNDLE"] = Root("Curl"), ["NODE_EXTRA_CA_CERTS"] = Root("Node") })!;

        bundle.ExtendsSystemTrust.Should().BeFalse("NODE_EXTRA_CA_CERTS adds to system trust only when it is the only one set");
        bundle.Certificates.Select(c => c.Subject).Should().Equal("CN=Curl");
        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.EnvironmentVariableNotUsed)
            .Which.Message.Should().StartWith("NODE_EXTRA_CA_CERTS is set");
    }

    [Fact]
    public void LoadFromEnvironment_NodeExtraCaCertsAlone_ExtendsSystemTrust()
    {
        var bundle = Load(new() { ["NODE_EXTRA_CA_CERTS"] = Root("Node Only") })!;

        bundle.ExtendsSystemTrust.Should().BeTrue();
        bundle.SourceDetails.Should().ContainSingle().Which.Variable.Should().Be("NODE_EXTRA_CA_CERTS");
    }

    [Fact]
    public void LoadFromEnvironment_RequestsCaBundleDirectory_ReadsOnlyHashedNames()
    {
        var directory = Directory.CreateDirectory(_dir.File("capath")).FullName;
        File.WriteAllText(Path.Combine(directory, "9f8e7d6c.0"), TestPki.CreateRoot("Hashed").Pem());
        File.WriteAllText(Path.Combine(directory, "plain.pem"), TestPki.CreateRoot("Plain").Pem());

        var bundle = Load(new() { ["REQUESTS_CA_BUNDLE"] = directory })!;

        bundle.Certificates.Select(c => c.Subject).Should().Equal("CN=Hashed");
    }

    [Fact]
    public void LoadFromEnvironment_SslCertDirWithSeveralDirectories_ReadsEach()
    {
        var first = Directory.CreateDirectory(_dir.File("one")).FullName;
        var second = Directory.CreateDirectory(_dir.File("two")).FullName;
        File.WriteAllText(Path.Combine(first, "11111111.0"), TestPki.CreateRoot("One").Pem());
        File.WriteAllText(Path.Combine(second, "22222222.0"), TestPki.CreateRoot("Two").Pem());

        var bundle = Load(new() { ["SSL_CERT_DIR"] = first + Path.PathSeparator + second + Path.PathSeparator })!;

        bundle.Certificates.Select(c => c.Subject).Should().Equal("CN=One", "CN=Two");
    }

    [Fact]
    public void LoadFromEnvironment_SslCertDirWithoutHashedNames_ExplainsRehash()
    {
        var directory = Directory.CreateDirectory(_dir.File("unhashed")).FullName;
        File.WriteAllText(Path.Combine(directory, "ca.pem"), TestPki.CreateRoot("Unhashed").Pem());

        var error = Assert.Throws<CertificateBundleException>(() => Load(new() { ["SSL_CERT_DIR"] = directory }));

        error.Variable.Should().Be("SSL_CERT_DIR");
        error.Message.Should().Contain(directory).And.Contain("SSL_CERT_DIR").And.Contain("openssl rehash");
    }

    [Theory]
    [InlineData("SSL_CERT_FILE")]
    [InlineData("REQUESTS_CA_BUNDLE")]
    [InlineData("CURL_CA_BUNDLE")]
    [InlineData("NODE_EXTRA_CA_CERTS")]
    [InlineData("SSL_CERT_DIR")]
    public void LoadFromEnvironment_VariableNamingMissingPath_NamesVariableAndPath(string variable)
    {
        var missing = _dir.File("missing.pem");

        var error = Assert.Throws<CertificateBundleException>(() => Load(new() { [variable] = missing }));

        error.Variable.Should().Be(variable);
        error.Path.Should().Be(missing);
        error.Message.Should().Contain(variable).And.Contain(missing);
    }

    [Fact]
    public void LoadFromEnvironment_SslCertFileNamingDirectory_PointsToSslCertDir()
    {
        var error = Assert.Throws<CertificateBundleException>(() => Load(new() { ["SSL_CERT_FILE"] = _dir.Path }));

        error.Message.Should().Contain("SSL_CERT_FILE").And.Contain("is a directory").And.Contain("SSL_CERT_DIR");
    }

    [Fact]
    public void LoadFromEnvironment_VariableNamingMalformedFile_NamesVariablePathAndLine()
    {
        var path = _dir.Write("bad.pem", "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<CertificateBundleException>(() => Load(new() { ["REQUESTS_CA_BUNDLE"] = path }));

        error.Message.Should().Contain("REQUESTS_CA_BUNDLE").And.Contain(path).And.Contain("line 1").And.Contain("bad base64");
    }

    [Fact]
    public void LoadFromEnvironment_Public_ReadsTheProcessEnvironment()
    {
        var expected = CertificateBundleLoader.LoadFromEnvironment(Environment.GetEnvironmentVariable, new BundleLoadOptions());

        var actual = CertificateBundleLoader.LoadFromEnvironment();

        actual?.Sources.Should().Equal(expected!.Sources);
        (actual is null).Should().Be(expected is null);
    }
}
