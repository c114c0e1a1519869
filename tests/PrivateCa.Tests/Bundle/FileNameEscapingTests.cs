using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Bundle;

/// <summary>A file name in a bundle directory is as hostile as a certificate subject: it reaches the loader's exception message
/// and the diagnostics that are logged, so a line feed or a bidi override in it is escaped, never written raw.</summary>
public sealed class FileNameEscapingTests : IDisposable
{
    private const int BundleAssemblyLimit = PrivateCa.Bundle.Internal.BundleAssembly.MaxLoadDiagnostics;
    private const string Forged = "x\ninfo: PrivateCa[1] trusted evil.example \u202Emep.";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_DirectoryWithEmptyFileNamedWithLineFeed_ExceptionMessageEscapesTheName()
    {
        _dir.Write("bundle/root.pem", Pki.PemOf(Pki.Root("Escape Root")));
        _dir.Write($"bundle/{Forged}.pem", string.Empty);

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(_dir.File("bundle")));

        error.Message.Should().NotContain("\n").And.NotContain("\u202E").And.Contain("x\\ninfo: PrivateCa[1]").And.Contain("\\u202E");
        error.Path.Should().EndWith($"{Forged}.pem", "the property keeps the raw path as data");
    }

    [Fact]
    public void Load_DirectoryWithSkippedFileNamedWithLineFeed_DiagnosticEscapesTheName()
    {
        _dir.Write("bundle/root.pem", Pki.PemOf(Pki.Root("Escape Root")));
        _dir.Write($"bundle/{Forged}.txt", "not a certificate");

        var bundle = CertificateBundleLoader.Load(_dir.File("bundle"));

        var skipped = bundle.Diagnostics.Single(d => d.Code == BundleDiagnosticCode.SkippedFile);
        skipped.Message.Should().NotContain("\n").And.NotContain("\u202E").And.Contain("x\\ninfo: PrivateCa[1]");
        skipped.ToString().Should().NotContain("\n");
    }

    [Fact]
    public void ClientCertificate_MissingFileNamedWithLineFeed_ExceptionMessageEscapesTheName()
    {
        var certificate = _dir.File($"{Forged}.crt");

        var error = Assert.Throws<CertificateBundleException>(() => PrivateCa.Trust.Internal.ClientCertificate.Load(certificate, null));

        error.Message.Should().Contain("does not exist").And.NotContain("\n").And.NotContain("\u202E").And.Contain("x\\ninfo: PrivateCa[1]");
    }

    [Fact]
    public void Load_SixteenThousandEmptyBlocks_RecordsAThousandDiagnosticsAndCountsTheRest()
    {
        // A hostile file within the size limit: each empty block is a SkippedBlock finding, and 16 MiB of them would be half a million.
        var noise = string.Concat(Enumerable.Repeat("-----BEGIN X-----\n-----END X-----\n", 16_000));
        var path = _dir.Write($"{Forged}.pem", Pki.PemOf(Pki.Root("Noisy Root")) + noise);

        var bundle = CertificateBundleLoader.Load(path);

        bundle.Count.Should().Be(1);
        bundle.Diagnostics.Count(d => d.Code == BundleDiagnosticCode.SkippedBlock).Should().Be(BundleAssemblyLimit, "the first thousand findings are kept");
        var leftOut = bundle.Diagnostics.Single(d => d.Code == BundleDiagnosticCode.DiagnosticsLeftOut);
        leftOut.Severity.Should().Be(BundleDiagnosticSeverity.Warning);
        leftOut.Message.Should().Contain("15,000 more information findings").And.Contain("first 1,000 of each kind").And.NotContain("\n");
        leftOut.Source.Should().Be(path);
    }

    [Fact]
    public void Load_ThousandsOfEmptyBlocksBeforeAPrivateKey_StillReportsThePrivateKey()
    {
        // Information findings have their own cap: cheap noise cannot push a warning out of the diagnostics and the start-up log.
        var noise = string.Concat(Enumerable.Repeat("-----BEGIN X-----\n-----END X-----\n", 3000));
        var key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
        var path = _dir.Write("noisy.pem", Pki.PemOf(Pki.Root("Noisy Root")) + noise + key);

        var bundle = CertificateBundleLoader.Load(path);

        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.PrivateKeyBlock);
        bundle.Diagnostics.Single(d => d.Code == BundleDiagnosticCode.DiagnosticsLeftOut).Message.Should().Contain("2,000 more information findings");
    }

    [Fact]
    public void LoadFromEnvironment_NoisyFile_StillReportsTheVariableNotUsed()
    {
        var noise = string.Concat(Enumerable.Repeat("-----BEGIN X-----\n-----END X-----\n", 1500));
        var path = _dir.Write("noisy.pem", Pki.PemOf(Pki.Root("Noisy Root")) + noise);
        var variables = new Dictionary<string, string?> { ["SSL_CERT_FILE"] = path, ["REQUESTS_CA_BUNDLE"] = "/etc/other-ca.pem" };

        var bundle = CertificateBundleLoader.LoadFromEnvironment(v => variables.GetValueOrDefault(v), BundleLoadOptions.Default)!;

        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.EnvironmentVariableNotUsed);
        bundle.Diagnostics.Should().ContainSingle(d => d.Code == BundleDiagnosticCode.DiagnosticsLeftOut);
    }

    [Fact]
    public void Load_DuplicatesOfARootWithAHugeSubject_MessagesStayBounded()
    {
        var name = new System.Security.Cryptography.X509Certificates.X500DistinguishedNameBuilder();
        name.AddCommonName(new string('\u0001', 8000));
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(name.Build(), key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = _dir.Write("huge.pem", string.Concat(Enumerable.Repeat(root.ExportCertificatePem() + "\n", 3)));

        var bundle = CertificateBundleLoader.Load(path);

        bundle.Diagnostics.Should().Contain(d => d.Code == BundleDiagnosticCode.DuplicateCertificate).And.Contain(d => d.Code == BundleDiagnosticCode.NotCertificateAuthority);
        bundle.Diagnostics.Should().OnlyContain(d => d.Message.Length < 1000 && !d.Message.Contains('\u0001'));
        bundle.Diagnostics[0].CertificateSubject!.Length.Should().BeGreaterThan(8000, "the property keeps the raw name as data");
    }
}
