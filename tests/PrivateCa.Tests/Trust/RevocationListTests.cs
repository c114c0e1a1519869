using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PrivateCa.Tests.Infrastructure;
using PrivateCa.Tests.Integration;

namespace PrivateCa.Tests.Trust;

/// <summary>Offline CRLs beside the bundle (RevocationListPaths): revoked certificates are rejected offline and in handshakes,
/// a CRL that does not verify is refused at load, a stale one still applies and is reported, and a rotated one is followed.</summary>
public sealed class RevocationListTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("CRL Root");
    private readonly X509Certificate2 _issuing;
    private readonly X509Certificate2 _leaf;
    private readonly string _bundle;

    public RevocationListTests()
    {
        _issuing = Pki.Intermediate("CRL Issuing", _root);
        _leaf = Pki.Server(_issuing, Host);
        _bundle = _dir.Write("ca.pem", Pki.PemOf(_root));
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A CRL signed by <paramref name="issuer"/> listing <paramref name="revoked"/>, made by .NET's own builder.</summary>
    private static byte[] Crl(X509Certificate2 issuer, IEnumerable<X509Certificate2> revoked, DateTimeOffset? nextUpdate = null, DateTimeOffset? thisUpdate = null)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, DateTimeOffset.UtcNow.AddMinutes(-5), X509RevocationReason.KeyCompromise);
        }

        return builder.Build(issuer, BigInteger.One, nextUpdate ?? DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: thisUpdate ?? DateTimeOffset.UtcNow.AddHours(-1));
    }

    private static string Pem(byte[] crl) => PemEncoding.WriteString("X509 CRL", crl) + "\n";

    private PrivateCaTrustOptions Options(params string[] crls)
    {
        var options = new PrivateCaTrustOptions { BundlePaths = { _bundle }, ReloadOnChange = false };
        foreach (var crl in crls)
        {
            options.RevocationListPaths.Add(crl);
        }

        return options;
    }

    private TrustVerdict Validate(PrivateCaTrustOptions options, X509Certificate2? leaf = null) =>
        new CustomRootTrustValidator(options).Validate(leaf ?? _leaf, [_issuing], Host);

    [Fact]
    public void RevokedLeaf_IsRevocation_NamingSerialReasonAndDate_WhileAnotherLeafIsTrusted()
    {
        var other = Pki.Server(_issuing, Host);
        var crl = _dir.Write("issuing.crl", Pem(Crl(_issuing, [_leaf])));

        var revoked = Validate(Options(crl));
        var good = Validate(Options(crl), other);

        revoked.Failure.Should().Be(TrustFailure.Revocation);
        revoked.Reason.Should().Contain(_leaf.SerialNumber).And.Contain("keyCompromise").And.Contain("issuing.crl").And.Contain("since 20");
        good.IsTrusted.Should().BeTrue(good.Reason);
    }

    [Fact]
    public void RevokedIntermediate_ByTheRootsDerCrl_IsRevocation()
    {
        var crl = _dir.Write("root.crl", string.Empty);
        File.WriteAllBytes(crl, Crl(_root, [_issuing]));

        var verdict = Validate(Options(crl));

        verdict.Failure.Should().Be(TrustFailure.Revocation);
        verdict.Reason.Should().Contain("the CA certificate 'CN=CRL Issuing'");
    }

    [Fact]
    public void CrlFromAnotherCaOfTheSameName_DoesNotApply_AndIsRefusedWhenThatNameIsInTheBundle()
    {
        // A look-alike issuer (same name, another key) signs a CRL listing the leaf: the chain's issuer does not verify it.
        var lookAlike = Pki.Root("CRL Issuing");
        var notApplied = _dir.Write("lookalike.crl", Pem(Crl(lookAlike, [_leaf])));
        var lookAlikeOfRoot = _dir.Write("lookalike-root.crl", Pem(Crl(Pki.Root("CRL Root"), [_issuing])));

        var verdict = Validate(Options(notApplied));
        var refused = () => new CustomRootTrustValidator(Options(lookAlikeOfRoot));

        verdict.IsTrusted.Should().BeTrue(verdict.Reason);
        refused.Should().Throw<CertificateBundleException>().WithMessage("*lookalike-root.crl*does not verify*CN=CRL Root*");
    }

    [Fact]
    public void CrlWhoseIssuerNameIsEncodedDifferently_StillApplies_AndMustVerify()
    {
        // The root's name is a PrintableString; the CRL spells it as a UTF8String. Names are compared as names, as OpenSSL does.
        var utf8 = new X500DistinguishedNameBuilder();
        utf8.AddCommonName("CRL Root");
        utf8.Build().RawData.Should().NotEqual(_root.SubjectName.RawData, "the test needs two encodings of one name");
        byte[] Signed(X509Certificate2 key)
        {
            var builder = new CertificateRevocationListBuilder();
            builder.AddEntry(_issuing, DateTimeOffset.UtcNow.AddMinutes(-5));
            return builder.Build(utf8.Build(), X509SignatureGenerator.CreateForECDsa(key.GetECDsaPrivateKey()!), BigInteger.One, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256,
                X509AuthorityKeyIdentifierExtension.CreateFromCertificate(key, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        var applies = _dir.Write("utf8.crl", Pem(Signed(_root)));
        var forged = _dir.Write("utf8-forged.crl", Pem(Signed(Pki.Root("Someone Else"))));

        var verdict = Validate(Options(applies));
        var refused = () => new CustomRootTrustValidator(Options(forged));

        verdict.Failure.Should().Be(TrustFailure.Revocation);
        refused.Should().Throw<CertificateBundleException>().WithMessage("*utf8-forged.crl*does not verify*");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task CrlLinkToAPipe_IsRefusedWithoutBlocking()
    {
        var fifo = Path.Combine(_dir.Path, "pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var link = Path.Combine(_dir.Path, "link.crl");
        File.CreateSymbolicLink(link, fifo);

        var load = Task.Run(() => new CustomRootTrustValidator(Options(link)));
        var finished = await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(20))) == load;

        finished.Should().BeTrue("opening a pipe would wait for a writer; it is refused before it is opened");
        load.Exception!.InnerException.Should().BeOfType<CertificateBundleException>().Which.Message.Should().Contain("link.crl").And.Contain("empty");
    }

    [Fact]
    public void CrlIssuedInTheFuture_IsALoadError()
    {
        var crl = _dir.Write("future.crl", Pem(Crl(_issuing, [_leaf], nextUpdate: DateTimeOffset.UtcNow.AddDays(9), thisUpdate: DateTimeOffset.UtcNow.AddDays(1))));

        var create = () => new CustomRootTrustValidator(Options(crl));

        create.Should().Throw<CertificateBundleException>().WithMessage("*future.crl*thisUpdate*in the future*");
    }

    [Fact]
    public void TamperedCrl_IsALoadError_NamingTheFile()
    {
        var der = Crl(_root, [_issuing]);
        der[^5] ^= 0x40; // inside the signature
        var crl = _dir.Write("tampered.crl", Pem(der));

        var create = () => new TrustedHandlerFactory(Options(crl));

        create.Should().Throw<CertificateBundleException>().WithMessage("*tampered.crl*RevocationListPaths*");
    }

    [Theory]
    [InlineData("not a CRL at all", "does not decode as a DER CRL")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "no 'X509 CRL' block")]
    [InlineData("-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n", "does not decode")]
    public void MalformedCrlFile_IsALoadError(string content, string expected)
    {
        var crl = _dir.Write("bad.crl", content);

        var create = () => new CustomRootTrustValidator(Options(crl));

        create.Should().Throw<CertificateBundleException>().WithMessage($"*bad.crl*{expected}*");
    }

    [Fact]
    public async Task RevokedLeaf_IsRejectedInAHandshake()
    {
        await using var server = await TlsServer.StartAsync(_leaf, [_issuing]);
        var crl = _dir.Write("issuing.crl", Pem(Crl(_issuing, [_leaf])));
        using var factory = new TrustedHandlerFactory(Options(crl));
        using var client = LoopbackClient.For(factory.CreateSocketsHttpHandler());

        var (_, error) = await LoopbackClient.TryGetAsync(client, server.Url(Host));

        CertificateTrustException.Find(error!)!.Failure.Should().Be(TrustFailure.Revocation);
        server.Requests.Should().Be(0);
    }

    [Fact]
    public async Task RevokedIntermediate_IsRejectedInAHandshake_ThroughHttpClientHandlerToo()
    {
        // The server sends the revoked intermediate; the root's CRL (the root is in the bundle) lists it.
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, "localhost"), [_issuing]);
        var crl = _dir.Write("root.crl", Pem(Crl(_root, [_issuing])));
        using var factory = new TrustedHandlerFactory(Options(crl));
        using var client = new HttpClient(factory.CreateHttpClientHandler());

        var (_, error) = await LoopbackClient.TryGetAsync(client, server.Url("localhost"));

        var rejection = CertificateTrustException.Find(error!)!;
        rejection.Failure.Should().Be(TrustFailure.Revocation);
        rejection.Reason.Should().Contain("the CA certificate 'CN=CRL Issuing'");
    }

    [Fact]
    public async Task StaleCrl_StillApplies_AndIsReportedInTheLogAndHealth()
    {
        var crl = _dir.Write("stale.crl", Pem(Crl(_issuing, [_leaf], nextUpdate: DateTimeOffset.UtcNow.AddHours(-1), thisUpdate: DateTimeOffset.UtcNow.AddDays(-2))));
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(_bundle);
            o.RevocationListPaths.Add(crl);
        });
        services.AddHealthChecks().AddPrivateCaTrust("model");
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();
        await using var server = await TlsServer.StartAsync(_leaf, [_issuing]);

        var (_, error) = await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient("model"), server.Url(Host));
        var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        CertificateTrustException.Find(error!)!.Failure.Should().Be(TrustFailure.Revocation);
        provider.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Message.Contains("stale.crl", StringComparison.Ordinal) && r.Message.Contains("past its nextUpdate", StringComparison.Ordinal));
        health.Status.Should().Be(HealthStatus.Degraded);
        health.Entries.Values.Single().Description.Should().Contain("stale.crl");
    }

    [Fact]
    public async Task CrlReplacedOnDisk_IsFollowed()
    {
        await using var server = await TlsServer.StartAsync(_leaf, [_issuing]);
        var crl = _dir.Write("issuing.crl", Pem(Crl(_issuing, [])));
        var options = Options(crl);
        options.ReloadOnChange = true;
        using var factory = new TrustedHandlerFactory(options);
        using var client = LoopbackClient.For(factory.CreateSocketsHttpHandler());
        (await LoopbackClient.TryGetAsync(client, server.Url(Host))).Body.Should().Be("ok");

        File.WriteAllText(crl + ".tmp", Pem(Crl(_issuing, [_leaf])));
        File.Move(crl + ".tmp", crl, overwrite: true);

        var clock = Stopwatch.StartNew();
        Exception? error = null;
        while (error is null && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            (_, error) = await LoopbackClient.TryGetAsync(client, server.Url(Host));
            await Task.Delay(50);
        }

        CertificateTrustException.Find(error!)!.Failure.Should().Be(TrustFailure.Revocation);
    }
}
