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
        leftOut.Message.Should().Contain("15,000 more findings").And.Contain("first 1,000").And.NotContain("\n");
        leftOut.Source.Should().Be(path);
    }
}
