using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Integration;

/// <summary>
/// mTLS as curl does it: the client certificate goes out with its intermediates, only to a server PrivateCa has judged
/// trusted and in scope, and a configured certificate that cannot be loaded fails requests instead of being left out.
/// </summary>
public sealed class ClientIdentityTests : IDisposable
{
    private const string Host = "model.internal";
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _serverRoot = Pki.Root("Identity Server Root");
    private readonly X509Certificate2 _clientRoot = Pki.Root("Identity Client Root");
    private readonly X509Certificate2 _clientIssuing;
    private readonly string _bundle;
    private readonly string _certificatePath;
    private readonly string _keyPath;

    public ClientIdentityTests()
    {
        _clientIssuing = Pki.Intermediate("Identity Client Issuing", _clientRoot);
        var client = Pki.Issue("workload-identity-42", _clientIssuing, new Pki.Spec { Eku = ["1.3.6.1.5.5.7.3.2"] });

        // As cert-manager writes tls.crt: the leaf, then its intermediate; the key beside it.
        _certificatePath = _dir.Write("tls.crt", Pki.PemOf(client, _clientIssuing));
        _keyPath = _dir.Write("tls.key", client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        _bundle = _dir.Write("ca.pem", Pki.PemOf(_serverRoot));
    }

    public void Dispose() => _dir.Dispose();

    private PrivateCaTrustOptions Options(params string[] hosts)
    {
        var options = new PrivateCaTrustOptions { BundlePaths = { _bundle }, ClientCertificatePath = _certificatePath, ClientKeyPath = _keyPath };
        foreach (var host in hosts)
        {
            options.Hosts.Add(host);
        }

        return options;
    }

    public static TheoryData<string> HandlerKinds => ["SocketsHttpHandler", "HttpClientHandler"];

    /// <summary>A client on the kind of handler named, whose connections all go to 127.0.0.1.</summary>
    private static HttpClient Client(TrustedHandlerFactory factory, string kind)
    {
        if (kind == "SocketsHttpHandler")
        {
            return LoopbackClient.For(factory.CreateSocketsHttpHandler());
        }

        // HttpClientHandler has no ConnectCallback: 'localhost' reaches the server instead of a made-up name.
        return new HttpClient(factory.CreateHttpClientHandler()) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private static string HostFor(string kind) => kind == "SocketsHttpHandler" ? Host : "localhost";

    [Theory]
    [MemberData(nameof(HandlerKinds))]
    public async Task ChainFromTheFile_IsSent_AndAcceptedByAServerThatTrustsOnlyTheRoot(string kind)
    {
        // openssl verifies the client itself against the client root alone, as curl's test servers do: a leaf sent without
        // its intermediate fails there ("unable to get local issuer certificate").
        var issuing = Pki.Intermediate("Identity Server Issuing", _serverRoot);
        var clientRoot = _dir.Write("client-root.pem", Pki.PemOf(_clientRoot));
        await using var server = await OpenSslServer.StartAsync(_dir, Pki.Server(issuing, HostFor(kind)), [issuing], "-Verify", "2", "-verify_return_error", "-CAfile", clientRoot);
        using var factory = new TrustedHandlerFactory(Options());
        using var client = Client(factory, kind);

        var (body, error) = await LoopbackClient.TryGetAsync(client, server.Url(HostFor(kind)));

        error.Should().BeNull(error?.ToString());
        body.Should().Contain("workload-identity-42", "s_server -www echoes the verified client certificate");
    }

    [Fact]
    public async Task ChainFromTheFile_IsSent_OverTls12()
    {
        // In TLS 1.2 the server asks after its certificate and before it proves its key; the gate still judges it first.
        var issuing = Pki.Intermediate("Identity Server Issuing 1.2", _serverRoot);
        var clientRoot = _dir.Write("client-root.pem", Pki.PemOf(_clientRoot));
        await using var server = await OpenSslServer.StartAsync(_dir, Pki.Server(issuing, Host), [issuing], "-tls1_2", "-Verify", "2", "-verify_return_error", "-CAfile", clientRoot);
        using var factory = new TrustedHandlerFactory(Options());
        using var client = Client(factory, "SocketsHttpHandler");

        var (body, error) = await LoopbackClient.TryGetAsync(client, server.Url(Host));

        error.Should().BeNull(error?.ToString());
        body.Should().Contain("workload-identity-42").And.Contain("TLSv1.2");
    }

    [Theory]
    [MemberData(nameof(HandlerKinds))]
    public async Task ServerFromAnotherCa_ForAHostInScope_NeverSeesTheIdentity(string kind)
    {
        var attacker = Pki.Root("Attacker Root");
        await using var server = await TlsServer.StartAsync(Pki.Server(attacker, HostFor(kind)), askForClientCertificate: true);
        using var factory = new TrustedHandlerFactory(Options());
        using var client = Client(factory, kind);

        var (_, error) = await LoopbackClient.TryGetAsync(client, server.Url(HostFor(kind)));

        CertificateTrustException.Find(error!)!.Failure.Should().Be(TrustFailure.UntrustedRoot);
        server.ClientCertificatesSeen.Should().BeEmpty("the identity is shown only to a server judged trusted");
    }

    [Theory]
    [MemberData(nameof(HandlerKinds))]
    public async Task TrustedServer_OutsideHosts_NeverSeesTheIdentity(string kind)
    {
        // Trusted by the bundle, but not a host the options scope: PrivateCa does not judge it, so it gets no identity.
        var issuing = Pki.Intermediate("Identity Scope Issuing", _serverRoot);
        await using var server = await TlsServer.StartAsync(Pki.Server(issuing, HostFor(kind)), [issuing], askForClientCertificate: true);
        using var inScope = new TrustedHandlerFactory(Options(HostFor(kind)));
        using var outOfScope = new TrustedHandlerFactory(Options("other.internal"));
        using var trustedClient = Client(inScope, kind);
        using var otherClient = Client(outOfScope, kind);

        var (body, _) = await LoopbackClient.TryGetAsync(trustedClient, server.Url(HostFor(kind)));
        var seenByTrusted = server.ClientCertificatesSeen.ToList();
        await LoopbackClient.TryGetAsync(otherClient, server.Url(HostFor(kind)));

        body.Should().Be("ok");
        seenByTrusted.Should().Equal("CN=workload-identity-42");
        server.ClientCertificatesSeen.Should().HaveCount(1, "the out-of-scope handshake showed nothing");
    }

    [Fact]
    public async Task ServerFromAnotherCa_ThroughIHttpClientFactory_NeverSeesTheIdentity()
    {
        var attacker = Pki.Root("Attacker Root DI");
        await using var server = await TlsServer.StartAsync(Pki.Server(attacker, Host), askForClientCertificate: true);
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(_bundle);
            o.ClientCertificatePath = _certificatePath;
            o.ClientKeyPath = _keyPath;
        });
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();

        var (_, error) = await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient("model"), server.Url(Host));

        CertificateTrustException.Find(error!).Should().NotBeNull();
        server.ClientCertificatesSeen.Should().BeEmpty();
    }

    [Fact]
    public async Task ClientCertificateThatNeverLoaded_FailsRequestsToHostsInScope_AndNamesTheFile()
    {
        var issuing = Pki.Intermediate("Identity Closed Issuing", _serverRoot);
        await using var server = await TlsServer.StartAsync(Pki.Server(issuing, Host), [issuing], askForClientCertificate: true);
        File.WriteAllText(_keyPath, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        var services = ServiceHarness.Services();
        services.AddHttpClient("model").AddPrivateCaTrust(o =>
        {
            o.BundlePaths.Add(_bundle);
            o.ClientCertificatePath = _certificatePath;
            o.ClientKeyPath = _keyPath;
        });
        PrivateCaHttpClientBuilderExtensionsTests.Loopback(services);
        await using var provider = services.Build();

        var (body, error) = await LoopbackClient.TryGetAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient("model"), server.Url(Host));

        body.Should().BeNull("a request without the configured identity is not sent");
        var cause = error!.GetBaseException();
        cause.Should().BeOfType<CertificateBundleException>();
        cause.Message.Should().Contain("client certificate is configured").And.Contain(_keyPath).And.Contain(Host);
        server.Requests.Should().Be(0);
    }

    [Fact]
    public void ClientCertificateThatDoesNotLoad_FailsTheFactory()
    {
        File.WriteAllText(_keyPath, "garbage");

        var create = () => new TrustedHandlerFactory(Options());

        create.Should().Throw<CertificateBundleException>().WithMessage($"*{_certificatePath}*");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void HandlerWithAnIdentity_OffersOnlySuitesWhereTheServerSignsFirst_AndRefusesAPolicyWithStaticRsa()
    {
        // With static RSA key exchange a server proves nothing before the client's certificate is sent: an impostor
        // replaying a trusted server's public chain would receive the identity.
        using var factory = new TrustedHandlerFactory(Options());
        using var handler = factory.CreateSocketsHttpHandler();
        var own = new SocketsHttpHandler();
        own.SslOptions.CipherSuitesPolicy = new System.Net.Security.CipherSuitesPolicy([System.Net.Security.TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256]);

        handler.SslOptions.CipherSuitesPolicy!.AllowedCipherSuites.Should().NotBeEmpty().And.NotContain(s => s.ToString().StartsWith("TLS_RSA_", StringComparison.Ordinal));
        var configure = () => factory.Configure(own, "model");
        configure.Should().Throw<InvalidOperationException>().WithMessage("*static RSA*");
    }

    [Fact]
    public void CertificateFileWithOnlyItsIntermediateChanged_IsApplied()
    {
        using var identity = new PrivateCa.Integration.Internal.ReloadingClientCertificate(_certificatePath, _keyPath, watched: false, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var leafPem = File.ReadAllText(_certificatePath).Split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n";
        var renewed = Pki.Intermediate("Identity Client Issuing", _clientRoot);
        File.WriteAllText(_certificatePath, leafPem + Pki.PemOf(renewed));

        identity.TryReload().Should().Be("applied");
        identity.TryReload().Should().Be("unchanged");
    }

    [Fact]
    public void CertificateFileWithMoreThanEightExtraCertificates_IsRefused()
    {
        var extra = Enumerable.Range(0, 9).Select(i => Pki.Root($"Junk {i}")).ToArray();
        File.AppendAllText(_certificatePath, Pki.PemOf(extra));

        var create = () => new TrustedHandlerFactory(Options());

        create.Should().Throw<CertificateBundleException>().WithMessage("*more than 8 certificates besides the leaf*");
    }

    [Fact]
    public async Task HttpClientHandler_WhoseClientCertificateOptionsChangedAfterwards_IsRefused()
    {
        var issuing = Pki.Intermediate("Identity Changed Issuing", _serverRoot);
        await using var server = await TlsServer.StartAsync(Pki.Server(issuing, "localhost"), [issuing], askForClientCertificate: true);
        using var factory = new TrustedHandlerFactory(Options());
        var handler = factory.CreateHttpClientHandler();
        handler.ClientCertificateOptions = ClientCertificateOption.Manual;
        using var client = new HttpClient(handler);

        var (_, error) = await LoopbackClient.TryGetAsync(client, server.Url("localhost"));

        error!.GetBaseException().Message.Should().Contain("ClientCertificateOptions were changed");
        server.Requests.Should().Be(0);
    }
}
