using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Bundle;

/// <summary>Key material in a bundle never reaches a message: only RFC 7468 labels are taken as labels, and a private key is "a private-key block".</summary>
public sealed class PrivateKeyEchoTests : IDisposable
{
    private const string Secret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7SECRETSECRET";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_PrivateKeyWrittenOnOneLine_ErrorWithoutTheKey()
    {
        var path = _dir.Write("bundle.pem", Pki.PemOf(Pki.Root("Echo Root")) + $"-----BEGIN PRIVATE KEY----- {Secret} -----END PRIVATE KEY-----\n");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Message.Should().NotContain("SECRETSECRET").And.Contain("private-key block");
    }

    [Fact]
    public void Load_EndMarkerGluedToTheLastKeyLine_ErrorWithoutTheLine()
    {
        var path = _dir.Write("bundle.pem", Pki.PemOf(Pki.Root("Echo Root")) + $"-----BEGIN PRIVATE KEY-----\n{Secret}\n{Secret}-----END PRIVATE KEY-----\n");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Message.Should().NotContain("SECRETSECRET").And.Contain("private-key block");
    }

    [Fact]
    public void Load_WellFormedPrivateKeyBlock_DiagnosticNamesNoLabelOrContent()
    {
        var bundle = CertificateBundleLoader.LoadPem(Pki.PemOf(Pki.Root("Echo Root")) + $"-----BEGIN ENCRYPTED PRIVATE KEY-----\n{Secret}\n-----END ENCRYPTED PRIVATE KEY-----\n", "inline");

        var diagnostic = bundle.Diagnostics.Single(d => d.Code == BundleDiagnosticCode.PrivateKeyBlock);

        diagnostic.Message.Should().Contain("a private-key block").And.NotContain("SECRETSECRET");
    }

    [Fact]
    public void Load_LabelWithDoubleSpaces_NotTakenAsALabel()
    {
        var path = _dir.Write("bundle.pem", Pki.PemOf(Pki.Root("Echo Root")) + "-----BEGIN NOT  A LABEL-----\nAAAA\n-----END NOT  A LABEL-----\n");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Message.Should().Contain("RFC 7468").And.NotContain("NOT  A LABEL");
    }
}
