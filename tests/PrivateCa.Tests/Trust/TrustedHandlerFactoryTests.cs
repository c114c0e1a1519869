using System.Net;
using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>Every case against a real Kestrel HTTPS server on 127.0.0.1, through a handler from <see cref="TrustedHandlerFactory"/>.</summary>
public sealed class TrustedHandlerFactoryTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Acme Root CA");
    private readonly X509Certificate2 _issuing;

    public TrustedHandlerFactoryTests()
    {
        _issuing = Pki.Intermediate("Acme Issuing CA 2", _root);
    }

    public void Dispose() => _dir.Dispose();

    private string Bundle(params X509Certificate2[] certificates) => _dir.Write($"bundle-{Guid.NewGuid():N}.pem", Pki.PemOf(certificates));

    private PrivateCaTrustOptions Options(params X509Certificate2[] bundle)
    {
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(Bundle(bundle));
        return options;
    }

    private static async Task<(string? Body, Exception? Error)> Get(PrivateCaTrustOptions options, TlsServer server, string host = Host) =>
        await Get(options, server.Url(host));

    private static async Task<(string? Body, Exception? Error)> Get(PrivateCaTrustOptions options, RawTlsServer server, string host = Host) =>
        await Get(options, server.Url(host));

    private static async Task<(string? Body, Exception? Error)> Get(PrivateCaTrustOptions options, Uri url)
    {
        using var client = LoopbackClient.For(new TrustedHandlerFactory(options).CreateSocketsHttpHandler());
        return await LoopbackClient.TryGetAsync(client, url);
    }

    private static CertificateTrustException Rejection((string? Body, Exception? Error) result)
    {
        result.Body.Should().BeNull();
        result.Error.Should().BeOfType<HttpRequestException>();
        return result.Error!.InnerException.Should().BeOfType<CertificateTrustException>().Subject;
    }

    [Fact]
    public async Task SocketsHandler_ServerSendsIntermediate_Trusted()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), [_issuing]);

        var result = await Get(Options(_root), server);

        result.Error.Should().BeNull();
        result.Body.Should().Be("ok");
    }

    [Fact]
    public async Task SocketsHandler_ServerOmitsIntermediateThatBundleHas_Trusted()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host));

        var result = await Get(Options(_root, _issuing), server);

        result.Body.Should().Be("ok");
    }

    [Fact]
    public async Task SocketsHandler_ServerOmitsIntermediateBundleLacks_RejectedNamingTheIssuer()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host));
        var options = Options(_root, Pki.Root("Other Root"), Pki.Root("Third Root"));

        var error = Rejection(await Get(options, server));

        error.Failure.Should().Be(TrustFailure.UntrustedRoot);
        error.Host.Should().Be(Host);
        error.Port.Should().BeNull("a bare SocketsHttpHandler's TLS layer knows the host name only");
        error.Reason.Should().Be($"issuer 'CN=Acme Issuing CA 2' is not in the 3 anchors loaded from {options.BundlePaths[0]}");
        error.Message.Should().Contain(Host).And.Contain("Presented chain:").And.Contain("CN=model.internal").And.Contain("Fix:");
    }

    [Fact]
    public async Task SocketsHandler_UntrustedRoot_RejectedWithChainAnchorsAndFix()
    {
        var stranger = Pki.Root("Stranger Root");
        var strangerIssuing = Pki.Intermediate("Stranger Issuing", stranger);
        await using var server = await TlsServer.StartAsync(Pki.Server(strangerIssuing, Host), [strangerIssuing, stranger]);

        var error = Rejection(await Get(Options(_root), server));

        error.Failure.Should().Be(TrustFailure.UntrustedRoot);
        // Kestrel (SslStreamCertificateContext) never sends the root itself, so the chain ends at the intermediate.
        error.Reason.Should().StartWith("issuer 'CN=Stranger Root' is not in the 1 anchor loaded from");
        error.Message.Should().Contain("[0] 'CN=model.internal' issued by 'CN=Stranger Issuing'")
            .And.Contain("[1] 'CN=Stranger Issuing' issued by 'CN=Stranger Root'")
            .And.Contain("SHA-256 ")
            .And.Contain("Anchors tried:")
            .And.Contain("Fix: Add the CA certificate 'CN=Stranger Root' to the bundle");
    }

    [Fact]
    public async Task SocketsHandler_ExpiredLeaf_RejectedWithExpiry()
    {
        var notAfter = DateTimeOffset.UtcNow.AddDays(-1);
        var leaf = Pki.Issue(Host, _issuing, new Pki.Spec { DnsNames = [Host], NotBefore = notAfter.AddDays(-30), NotAfter = notAfter });
        await using var server = await TlsServer.StartAsync(leaf, [_issuing]);

        var error = Rejection(await Get(Options(_root), server));

        error.Failure.Should().Be(TrustFailure.NotTimeValid);
        error.Reason.Should().StartWith($"'CN={Host}' expired at {notAfter.UtcDateTime:yyyy-MM-dd}");
    }

    [Fact]
    public async Task SocketsHandler_NotYetValidLeaf_Rejected()
    {
        var leaf = Pki.Issue(Host, _issuing, new Pki.Spec { DnsNames = [Host], NotBefore = DateTimeOffset.UtcNow.AddDays(2), NotAfter = DateTimeOffset.UtcNow.AddDays(20) });
        await using var server = await TlsServer.StartAsync(leaf, [_issuing]);

        var error = Rejection(await Get(Options(_root), server));

        error.Failure.Should().Be(TrustFailure.NotTimeValid);
        error.Reason.Should().Contain("is not valid before");
    }

    [Fact]
    public async Task SocketsHandler_HostNameMismatch_SaysWhichNamesTheCertificateIsFor()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, "api.corp.example"), [_issuing]);

        var error = Rejection(await Get(Options(_root), server, "model.corp.example"));

        error.Failure.Should().Be(TrustFailure.NameMismatch);
        error.Reason.Should().Be("certificate is for DNS:api.corp.example, not model.corp.example");
    }

    [Fact]
    public async Task SocketsHandler_IpAddressSan_TrustedByIpAndRejectedForOtherIp()
    {
        var leaf = Pki.Issue("ip server", _issuing, new Pki.Spec { IpAddresses = [IPAddress.Loopback] });
        await using var server = await TlsServer.StartAsync(leaf, [_issuing]);

        (await Get(Options(_root), server, "127.0.0.1")).Body.Should().Be("ok");
        Rejection(await Get(Options(_root), server, "127.0.0.2")).Reason.Should().Be("certificate is for IP:127.0.0.1, not the IP address 127.0.0.2");
    }

    [Fact]
    public async Task SocketsHandler_LeafIssuedByNonCa_RejectedForBasicConstraints()
    {
        var notCa = Pki.Issue("Not A CA", _issuing, new Pki.Spec { IsCa = false, KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature });
        var leaf = Pki.Server(notCa, Host);
        await using var server = await TlsServer.StartAsync(leaf, [notCa, _issuing]);

        var error = Rejection(await Get(Options(_root), server));

        error.Failure.Should().Be(TrustFailure.BasicConstraints);
        error.Reason.Should().Be($"'CN=Not A CA' is not a CA (basicConstraints CA:false) but issued 'CN={Host}'");
    }

    [Fact]
    public async Task SocketsHandler_PathLengthExceeded_Rejected()
    {
        var constrained = Pki.Intermediate("Pathlen Zero CA", _root, new Pki.Spec { PathLength = 0 });
        var below = Pki.Intermediate("Too Deep CA", constrained);
        await using var server = await TlsServer.StartAsync(Pki.Server(below, Host), [below, constrained]);

        var error = Rejection(await Get(Options(_root), server));

        error.Failure.Should().Be(TrustFailure.BasicConstraints);
        error.Reason.Should().Contain("path length constraint of 'CN=Pathlen Zero CA' (pathlen 0) is exceeded");
    }

    [Fact]
    public async Task SocketsHandler_NameConstraintsViolated_Rejected()
    {
        var constrained = Pki.Intermediate("Corp Only CA", _root, new Pki.Spec { PermittedDnsSubtree = "corp.example" });
        await using var server = await TlsServer.StartAsync(Pki.Server(constrained, "model.other.example"), [constrained]);

        var error = Rejection(await Get(Options(_root), server, "model.other.example"));

        error.Failure.Should().Be(TrustFailure.NameConstraints);
        error.Reason.Should().Contain("outside the name constraints of 'CN=Corp Only CA'");
    }

    [Fact]
    public async Task SocketsHandler_NameConstraintsRespected_Trusted()
    {
        var constrained = Pki.Intermediate("Corp Only CA", _root, new Pki.Spec { PermittedDnsSubtree = "corp.example" });
        await using var server = await TlsServer.StartAsync(Pki.Server(constrained, "model.corp.example"), [constrained]);

        (await Get(Options(_root), server, "model.corp.example")).Body.Should().Be("ok");
    }

    [Fact]
    public async Task SocketsHandler_ClientAuthOnlyEku_RejectedForUsage()
    {
        var leaf = Pki.Issue(Host, _issuing, new Pki.Spec { DnsNames = [Host], Eku = ["1.3.6.1.5.5.7.3.2"] });
        await using var server = await RawTlsServer.StartAsync(leaf, [_issuing]);

        var error = Rejection(await Get(Options(_root), server));

        error.Failure.Should().Be(TrustFailure.WrongUsage);
        error.Reason.Should().Contain("is not valid for server authentication").And.Contain("Client Authentication");
    }

    [Fact]
    public async Task SocketsHandler_SelfSignedLeafNotInBundle_Rejected()
    {
        var selfSigned = Pki.Issue(Host, null, new Pki.Spec { DnsNames = [Host], Eku = ["1.3.6.1.5.5.7.3.1"] });
        await using var server = await TlsServer.StartAsync(selfSigned);

        var error = Rejection(await Get(Options(_root), server));

        error.Failure.Should().Be(TrustFailure.UntrustedRoot);
        error.Reason.Should().Contain($"'CN={Host}' is a self-signed certificate that is not among");
    }

    [Fact]
    public async Task SocketsHandler_SelfSignedLeafInBundle_Trusted()
    {
        var selfSigned = Pki.Issue(Host, null, new Pki.Spec { DnsNames = [Host], Eku = ["1.3.6.1.5.5.7.3.1"] });
        await using var server = await TlsServer.StartAsync(selfSigned);

        (await Get(Options(selfSigned), server)).Body.Should().Be("ok");
    }

    [Fact]
    public async Task SocketsHandler_PinMatchesIntermediate_Trusted()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), [_issuing]);
        var options = Options(_root);
        options.PinnedSpkiSha256.Add("sha256//" + Pki.SpkiPin(_issuing));

        (await Get(options, server)).Body.Should().Be("ok");
    }

    [Fact]
    public async Task SocketsHandler_NoCertificateMatchesPins_Rejected()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), [_issuing]);
        var options = Options(_root);
        options.PinnedSpkiSha256.Add(Pki.SpkiPin(Pki.Root("Unrelated")));

        var error = Rejection(await Get(options, server));

        error.Failure.Should().Be(TrustFailure.PinMismatch);
        error.Reason.Should().StartWith("no certificate of the chain matches the 1 pin(s)").And.Contain(Pki.SpkiPin(_issuing));
    }

    [Fact]
    public async Task SocketsHandler_IntermediateAnchorWithoutPermission_RejectedWithHint()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), [_issuing]);

        var error = Rejection(await Get(Options(_issuing), server));

        error.Failure.Should().Be(TrustFailure.UntrustedRoot);
        error.Reason.Should().Contain("an intermediate CA from the bundle");
        error.Message.Should().Contain("AllowIntermediateAnchors");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SocketsHandler_IntermediateAnchorAllowed_Trusted(bool serverSendsIntermediate)
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), serverSendsIntermediate ? [_issuing] : null);
        var options = Options(_issuing);
        options.AllowIntermediateAnchors = true;

        (await Get(options, server)).Body.Should().Be("ok");
    }

    [Fact]
    public async Task SocketsHandler_IntermediateAnchorAllowed_LookAlikeWithOtherKeyRejected()
    {
        // Same subject name as the trusted intermediate, other key: its signatures must not pass.
        var lookAlike = Pki.Intermediate("Acme Issuing CA 2", Pki.Root("Evil Root"));
        await using var server = await TlsServer.StartAsync(Pki.Server(lookAlike, Host), [lookAlike]);
        var options = Options(_issuing);
        options.AllowIntermediateAnchors = true;

        var error = Rejection(await Get(options, server));

        error.Failure.Should().BeOneOf(TrustFailure.BadSignature, TrustFailure.UntrustedRoot);
    }

    [Fact]
    public async Task SocketsHandler_IntermediateAnchorAllowed_LookAlikeNotSentRejectedAsAnotherKey()
    {
        var lookAlike = Pki.Intermediate("Acme Issuing CA 2", Pki.Root("Evil Root"));
        await using var server = await TlsServer.StartAsync(Pki.Server(lookAlike, Host));
        var options = Options(_issuing);
        options.AllowIntermediateAnchors = true;

        var error = Rejection(await Get(options, server));

        // OpenSSL matches the leaf's authority key identifier, so it never takes the bundle's look-alike as issuer.
        error.Failure.Should().Be(TrustFailure.UntrustedRoot);
        error.Reason.Should().Contain("a CA with the same name and another key");
    }

    [Fact]
    public async Task SocketsHandler_IntermediateAnchorAllowed_ExpiredLeafStillRejected()
    {
        var leaf = Pki.Issue(Host, _issuing, new Pki.Spec { DnsNames = [Host], NotBefore = DateTimeOffset.UtcNow.AddDays(-10), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) });
        await using var server = await TlsServer.StartAsync(leaf, [_issuing]);
        var options = Options(_issuing);
        options.AllowIntermediateAnchors = true;

        Rejection(await Get(options, server)).Failure.Should().Be(TrustFailure.NotTimeValid);
    }

    [Fact]
    public async Task SocketsHandler_HostOutOfScope_KeepsSystemValidationAndExplainsTheRejection()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host, "other.internal"), [_issuing]);
        var options = Options(_root);
        options.Hosts.Add(Host);
        options.Hosts.Add("*.corp.example");

        (await Get(options, server, Host)).Body.Should().Be("ok");
        var outside = await Get(options, server, "other.internal");

        // The system, which does not know the private root, judges it; the rejection says so instead of blaming the callback.
        outside.Error.Should().BeOfType<HttpRequestException>();
        var rejection = outside.Error!.InnerException.Should().BeOfType<CertificateTrustException>().Subject;
        rejection.Failure.Should().Be(TrustFailure.UntrustedRoot);
        rejection.Message.Should().Contain($"other.internal is outside Hosts ({Host}, *.corp.example)")
            .And.Contain("the system's own validation, which rejected it")
            .And.Contain("add it to Hosts");
    }

    [Fact]
    public async Task SocketsHandler_WildcardScope_CoversSubdomains()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, "model.corp.example"), [_issuing]);
        var options = Options(_root);
        options.Hosts.Add("*.corp.example");

        (await Get(options, server, "model.corp.example")).Body.Should().Be("ok");
    }

    [Fact]
    public async Task SocketsHandler_SystemAndCustomRoots_TrustsBundleWhenSystemDoesNot()
    {
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), [_issuing]);
        var options = Options(_root);
        options.Mode = TrustMode.SystemAndCustomRoots;

        (await Get(options, server)).Body.Should().Be("ok");
    }

    [Fact]
    public async Task SocketsHandler_SystemAndCustomRoots_ExpiredStillRejected()
    {
        var leaf = Pki.Issue(Host, _issuing, new Pki.Spec { DnsNames = [Host], NotBefore = DateTimeOffset.UtcNow.AddDays(-10), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) });
        await using var server = await TlsServer.StartAsync(leaf, [_issuing]);
        var options = Options(_root);
        options.Mode = TrustMode.SystemAndCustomRoots;

        Rejection(await Get(options, server)).Failure.Should().Be(TrustFailure.NotTimeValid);
    }

    [Fact]
    public async Task SocketsHandler_SystemAndCustomRoots_UntrustedEverywhereRejected()
    {
        var stranger = Pki.Root("Stranger Root");
        await using var server = await TlsServer.StartAsync(Pki.Server(stranger, Host));
        var options = Options(_root);
        options.Mode = TrustMode.SystemAndCustomRoots;

        Rejection(await Get(options, server)).Failure.Should().Be(TrustFailure.UntrustedRoot);
    }

    [Fact]
    public async Task SocketsHandler_MutualTls_PresentsClientCertificate()
    {
        var clientCa = Pki.Root("Client CA");
        var client = Pki.Issue("model-client", clientCa, new Pki.Spec { Eku = ["1.3.6.1.5.5.7.3.2"] });
        var certificatePath = _dir.Write("client.pem", client.ExportCertificatePem());
        var keyPath = _dir.Write("client.key", client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var server = await TlsServer.StartAsync(Pki.Server(_issuing, Host), [_issuing], requireClientCertificateFrom: clientCa);
        var options = Options(_root);

        var without = await Get(options, server);
        options.ClientCertificatePath = certificatePath;
        options.ClientKeyPath = keyPath;
        var with = await Get(options, server);

        without.Body.Should().BeNull();
        with.Body.Should().Be("ok");
        server.LastClientCertificate.Should().Be("CN=model-client");
    }

    [Fact]
    public void Constructor_ClientKeyWithoutCertificate_Throws()
    {
        var options = Options(_root);
        options.ClientKeyPath = _dir.Write("lonely.key", "x");

        var act = () => new TrustedHandlerFactory(options);

        act.Should().Throw<ArgumentException>().WithMessage("*ClientKeyPath is set*ClientCertificatePath is not*");
    }

    [Theory]
    [InlineData("https://model.internal")]
    [InlineData("model.internal:443")]
    [InlineData("*")]
    public void Constructor_MalformedHostPattern_Throws(string pattern)
    {
        var options = Options(_root);
        options.Hosts.Add(pattern);

        var act = () => new TrustedHandlerFactory(options);

        act.Should().Throw<ArgumentException>().WithMessage($"*'{pattern}'*Hosts*");
    }

    [Fact]
    public void Constructor_MalformedPin_Throws()
    {
        var options = Options(_root);
        options.PinnedSpkiSha256.Add("not-a-pin");

        var act = () => new TrustedHandlerFactory(options);

        act.Should().Throw<ArgumentException>().WithMessage("*'not-a-pin'*PinnedSpkiSha256*openssl*");
    }

    [Fact]
    public void Constructor_NoSourceAtAll_ExplainsWhatToSet()
    {
        var act = () => new TrustedHandlerFactory(new PrivateCaTrustOptions { UseEnvironment = false });

        act.Should().Throw<CertificateBundleException>().WithMessage("No CA bundle configured*BundlePaths*");
    }
}
