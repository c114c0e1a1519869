using System.Diagnostics;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Bundle;

/// <summary>Every bad input fails closed, naming the path, the variable where there is one, the line and the reason.</summary>
public sealed class CertificateBundleLoaderErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_MissingPath_NamesPathAndReason()
    {
        var path = _dir.File("absent.pem");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Path.Should().Be(path);
        error.Message.Should().Contain(path).And.Contain("no such file");
    }

    [Fact]
    public void Load_DanglingSymlink_SaysTheTargetIsMissing()
    {
        var link = _dir.File("ca.crt");
        File.CreateSymbolicLink(link, "..data/ca.crt");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(link));

        error.Message.Should().Contain(link).And.Contain("symbolic link whose target does not exist");
    }

    [Fact]
    public void Load_EmptyFile_SaysEmpty()
    {
        var path = _dir.Write("empty.pem", string.Empty);

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Message.Should().Contain(path).And.Contain("empty");
    }

    [Fact]
    public void Load_NamedPipe_FailsWithoutBlocking()
    {
        var fifo = _dir.File("pipe.pem");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            mkfifo.ExitCode.Should().Be(0);
        }

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(fifo));

        error.Message.Should().Contain(fifo).And.Contain("pipe or device");
    }

    [Fact]
    public void Load_TextWithoutCertificate_SaysNoCertificate()
    {
        var path = _dir.Write("notes.pem", "# just a comment\nnothing here\n");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Message.Should().Contain(path).And.Contain("no certificate");
    }

    [Fact]
    public void Load_OnlyAPrivateKey_SaysNoCertificate()
    {
        var (_, key) = OpenSsl.CreateRoot(_dir, "Only Key");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(key));

        error.Message.Should().Contain(key).And.Contain("no certificate");
        error.Message.Should().NotContain(File.ReadAllText(key).Split('\n')[1]);
    }

    [Fact]
    public void Load_BadBase64_NamesTheLineOfTheBlock()
    {
        var good = TestPki.CreateRoot("Good").Pem();
        var bad = TestPki.CreateRoot("Bad").Pem().Replace("\n", "\n!", StringComparison.Ordinal).Replace("!-----END", "-----END", StringComparison.Ordinal);
        var path = _dir.Write("bad64.pem", "# comment\n" + good + bad);
        var badLine = 2 + good.Split('\n').Length - 1;

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Line.Should().Be(badLine);
        error.Message.Should().Contain(path).And.Contain($"line {badLine}").And.Contain("bad base64");
    }

    [Fact]
    public void Load_MissingEndLine_NamesTheBeginLine()
    {
        var good = TestPki.CreateRoot("Good").Pem();
        var cut = TestPki.CreateRoot("Cut").Pem();
        var path = _dir.Write("cut.pem", good + cut[..(cut.Length / 2)]);

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Line.Should().Be(good.Split('\n').Length);
        error.Message.Should().Contain("no END line");
    }

    [Fact]
    public void Load_EndLineWithoutBegin_NamesTheLine()
    {
        var path = _dir.Write("stray.pem", "text\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Line.Should().Be(2);
        error.Message.Should().Contain("END line with no BEGIN");
    }

    [Fact]
    public void Load_PemBlockWhoseDerDoesNotParse_NamesLineAndReason()
    {
        var path = _dir.Write("notder.pem", "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String("this is not DER at all"u8) + "\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Line.Should().Be(1);
        error.Message.Should().Contain(path).And.Contain("does not hold a valid certificate");
    }

    [Fact]
    public void Load_TruncatedDerFile_SaysDerDoesNotParse()
    {
        var der = TestPki.CreateRoot("Truncated").RawData;
        var path = _dir.Write("cut.der", der[..(der.Length - 10)]);

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path));

        error.Message.Should().Contain(path).And.Contain("DER does not parse");
    }

    [Fact]
    public void Load_FileOverTheSizeLimit_NamesTheLimit()
    {
        var path = _dir.Write("big.pem", TestPki.CreateRoot("Big").Pem());

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(path, new BundleLoadOptions { MaxFileSize = 100 }));

        error.Message.Should().Contain(path).And.Contain("over the 100-byte limit");
    }

    [Fact]
    public void Load_DirectoryWithoutCertificates_SaysSo()
    {
        _dir.Write("empty-dir/readme.txt", "nothing");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(_dir.File("empty-dir")));

        error.Message.Should().Contain(_dir.File("empty-dir")).And.Contain("no certificate file");
    }

    [Fact]
    public void Load_MalformedFileInDirectory_FailsNamingTheFile()
    {
        _dir.Write("certs/good.pem", TestPki.CreateRoot("Good").Pem());
        var bad = _dir.Write("certs/bad.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n");

        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.Load(_dir.File("certs")));

        error.Path.Should().Be(bad);
        error.Line.Should().Be(1);
    }

    [Fact]
    public void LoadPem_Malformed_NamesTheSourceName()
    {
        var error = Assert.Throws<CertificateBundleException>(() => CertificateBundleLoader.LoadPem("-----BEGIN CERTIFICATE-----\n", "config:PrivateCa:Pem"));

        error.Message.Should().Contain("config:PrivateCa:Pem").And.Contain("line 1");
    }

    [Fact]
    public void Load_NoPaths_ThrowsArgumentException()
    {
        var act = () => CertificateBundleLoader.Load(Array.Empty<string>());

        act.Should().Throw<ArgumentException>();
    }
}
