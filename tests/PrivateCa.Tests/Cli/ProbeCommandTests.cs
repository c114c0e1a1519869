using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Cli;

/// <summary>privateca probe connects as the app's HttpClient does: through the proxy the environment names, with its client certificate.</summary>
public sealed class ProbeCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Probe Proxy Root");
    private readonly X509Certificate2 _issuing;

    public ProbeCommandTests() => _issuing = Pki.Intermediate("Probe Proxy Issuing", _root);

    public void Dispose() => _dir.Dispose();

    private string Bundle => _dir.Write("ca.pem", Pki.PemOf(_root));

    private Task<TlsServer> TrustedServer() =>
        TlsServer.StartAsync(Pki.Issue("probe.internal", _issuing, new Pki.Spec { IpAddresses = [IPAddress.Loopback], DnsNames = ["localhost"] }), [_issuing]);

    [Fact]
    public async Task Probe_HttpsProxyVariable_TunnelsThroughTheProxyAndJudgesTheChain()
    {
        await using var server = await TrustedServer();
        await using var proxy = new ConnectProxy();

        var (exit, output, error) = await Tool.Run(new Dictionary<string, string> { ["HTTPS_PROXY"] = proxy.Url.ToString() },
            "probe", $"https://127.0.0.1:{server.Port}/", "--bundle", Bundle);

        exit.Should().Be(0, error);
        output.Should().StartWith($"TRUSTED: 127.0.0.1:{server.Port} (through proxy {proxy.Url.GetLeftPart(UriPartial.Authority)})");
        proxy.Targets.Should().Equal($"127.0.0.1:{server.Port}");
    }

    [Fact]
    public async Task Probe_TrustedServerRedirectsToAnotherServer_JudgesOnlyTheProbedHostAndReportsTheRedirect()
    {
        // An open redirect on a private endpoint must not make the tool judge (and advise trusting) another server.
        await using var elsewhere = await TlsServer.StartAsync(Pki.Server(Pki.Root("Probe Redirect Stranger"), "localhost"));
        var target = $"https://localhost:{elsewhere.Port}/owned";
        await using var server = await TlsServer.StartAsync(
            Pki.Issue("probe.internal", _issuing, new Pki.Spec { IpAddresses = [IPAddress.Loopback] }), [_issuing],
            respond: context =>
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = target;
                return Task.CompletedTask;
            });
        var saved = _dir.File("saved.pem");

        var (exit, output, error) = await Tool.Run("probe", $"https://127.0.0.1:{server.Port}/", "--bundle", Bundle, "--save-chain", saved);

        exit.Should().Be(0, error);
        output.Should().StartWith($"TRUSTED: 127.0.0.1:{server.Port}");
        error.Should().Contain($"answered 302 with a redirect to {target}; it was not followed, and only 127.0.0.1:{server.Port} was judged");
        elsewhere.Requests.Should().Be(0);
        File.ReadAllText(saved).Should().Contain(_issuing.ExportCertificatePem().Split('\n')[1]);
    }

    [Fact]
    public async Task Probe_NoProxyNamesTheHost_ConnectsDirectly()
    {
        await using var server = await TrustedServer();
        await using var proxy = new ConnectProxy();

        var (exit, output, error) = await Tool.Run(new Dictionary<string, string> { ["HTTPS_PROXY"] = proxy.Url.ToString(), ["NO_PROXY"] = "127.0.0.1" },
            "probe", $"https://127.0.0.1:{server.Port}/", "--bundle", Bundle);

        exit.Should().Be(0, error);
        output.Should().StartWith($"TRUSTED: 127.0.0.1:{server.Port}\n");
        proxy.Targets.Should().BeEmpty();
    }

    [Fact]
    public async Task Probe_ProxyOptionAndUntrustedServer_RejectionSaysTheCertificateMayBeTheProxys()
    {
        await using var stranger = await TlsServer.StartAsync(Pki.Server(Pki.Root("Probe Proxy Stranger"), "localhost"));
        await using var proxy = new ConnectProxy();

        var (exit, output, _) = await Tool.Run("probe", $"https://localhost:{stranger.Port}/", "--bundle", Bundle, "--proxy", proxy.Url.ToString());

        exit.Should().Be(3);
        output.Should().Contain("NOT TRUSTED").And.Contain($"through the proxy {proxy.Url.GetLeftPart(UriPartial.Authority)}: the certificate may be the proxy's");
        proxy.Targets.Should().Equal($"localhost:{stranger.Port}");
    }

    [Fact]
    public async Task Probe_ProxyUrlWithCredentialsAndUntrustedServer_NeverPrintsThePassword()
    {
        await using var stranger = await TlsServer.StartAsync(Pki.Server(Pki.Root("Probe Proxy Secret Stranger"), "localhost"));
        await using var proxy = new ConnectProxy();
        var withCredentials = $"http://operator:pr0xy-s3cret@127.0.0.1:{proxy.Url.Port}";

        var text = await Tool.Run(new Dictionary<string, string> { ["HTTPS_PROXY"] = withCredentials }, "probe", $"https://localhost:{stranger.Port}/", "--bundle", Bundle);
        var json = await Tool.Run("probe", $"https://localhost:{stranger.Port}/", "--bundle", Bundle, "--proxy", withCredentials, "--json");

        text.ExitCode.Should().Be(3, text.Error);
        json.ExitCode.Should().Be(3, json.Error);
        text.Output.Should().Contain($"through the proxy {proxy.Url.GetLeftPart(UriPartial.Authority)}: the certificate may be the proxy's");
        (text.Output + text.Error + json.Output + json.Error).Should().NotContain("pr0xy-s3cret").And.NotContain("operator");
    }

    [Fact]
    public async Task Probe_ProxyWithCredentialsRefusesConnection_ErrorNamesTheProxyWithoutThePassword()
    {
        var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var (exit, _, error) = await Tool.Run(new Dictionary<string, string> { ["HTTPS_PROXY"] = $"http://operator:pr0xy-s3cret@127.0.0.1:{port}" },
            "probe", "https://probe.internal:8443/", "--bundle", Bundle);

        exit.Should().Be(4, error);
        error.Should().Contain($"through proxy http://127.0.0.1:{port}").And.NotContain("pr0xy-s3cret").And.NotContain("operator");
    }

    [Fact]
    public async Task Probe_SaveChain_PrintsThePresentedChainAndWritesPemThatVerifyAccepts()
    {
        await using var server = await TrustedServer();
        var saved = _dir.File("presented.pem");

        var probe = await Tool.Run("probe", $"https://127.0.0.1:{server.Port}/", "--bundle", Bundle, "--save-chain", saved);
        var verify = await Tool.Run("verify", "--bundle", Bundle, "--chain", saved, "--host", "127.0.0.1");

        probe.ExitCode.Should().Be(0, probe.Error);
        probe.Output.Should().Contain("Certificates presented (2):").And.Contain("CN=probe.internal\n    issuer    CN=Probe Proxy Issuing")
            .And.Contain(_issuing.GetCertHashString(HashAlgorithmName.SHA256)).And.Contain("    validity  ");
        verify.ExitCode.Should().Be(0, verify.Output + verify.Error);
        CertificateBundleLoader.Load(saved).Origins.Select(o => o.Subject).Should().Equal("CN=probe.internal", "CN=Probe Proxy Issuing");
    }

    [Fact]
    public async Task Probe_UntrustedServerJson_StillListsWhatWasPresented()
    {
        var stranger = Pki.Root("Probe Json Stranger");
        await using var server = await TlsServer.StartAsync(Pki.Server(stranger, "localhost"));

        var (exit, output, _) = await Tool.Run("probe", $"https://localhost:{server.Port}/", "--bundle", Bundle, "--json");

        exit.Should().Be(3);
        var document = JsonNode.Parse(output)!;
        document["failure"]!.GetValue<string>().Should().Be("UntrustedRoot");
        document["presented"]!.AsArray().Should().ContainSingle().Which!["issuer"]!.GetValue<string>().Should().Be("CN=Probe Json Stranger");
    }

    [Fact]
    public async Task Probe_ClientCertAndKey_ServerReceivesTheClientCertificate()
    {
        var clientRoot = Pki.Root("Probe Client Root");
        var client = Pki.Issue("probe-client", clientRoot, new Pki.Spec { Eku = ["1.3.6.1.5.5.7.3.2"] });
        var certificate = _dir.Write("client.pem", client.ExportCertificatePem());
        var key = _dir.Write("client.key", client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var server = await TlsServer.StartAsync(
            Pki.Issue("probe.internal", _issuing, new Pki.Spec { IpAddresses = [IPAddress.Loopback] }), [_issuing], requireClientCertificateFrom: clientRoot);

        var (exit, _, error) = await Tool.Run("probe", $"https://127.0.0.1:{server.Port}/", "--bundle", Bundle, "--client-cert", certificate, "--client-key", key);

        exit.Should().Be(0, error);
        error.Should().BeEmpty();
        server.LastClientCertificate.Should().Be("CN=probe-client");
    }

    [Fact]
    public async Task Probe_ServerRefusesTheClientCertificate_ExitFiveSaysSo()
    {
        // The server requires a client certificate from another CA: the server's own certificate is trusted, but the
        // request fails after the handshake. That is not a success.
        var client = Pki.Issue("probe-client", Pki.Root("Probe Wrong Client Root"), new Pki.Spec { Eku = ["1.3.6.1.5.5.7.3.2"] });
        var certificate = _dir.Write("wrong-client.pem", client.ExportCertificatePem());
        var key = _dir.Write("wrong-client.key", client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var server = await TlsServer.StartAsync(
            Pki.Issue("probe.internal", _issuing, new Pki.Spec { IpAddresses = [IPAddress.Loopback] }), [_issuing], requireClientCertificateFrom: Pki.Root("Probe Expected Client Root"));

        var (exit, output, error) = await Tool.Run("probe", $"https://127.0.0.1:{server.Port}/", "--bundle", Bundle, "--client-cert", certificate, "--client-key", key);

        exit.Should().Be(5, $"{output}\n{error}");
        output.Should().StartWith($"TRUSTED: 127.0.0.1:{server.Port}");
        error.Should().Contain("the client certificate 'CN=probe-client' was offered, so the server most likely refused the client certificate");
    }

    [Fact]
    public async Task Probe_ClientCertAndSlowServer_TimeoutIsNotCalledARefusal()
    {
        var client = Pki.Issue("probe-client", Pki.Root("Probe Slow Client Root"), new Pki.Spec { Eku = ["1.3.6.1.5.5.7.3.2"] });
        var certificate = _dir.Write("slow-client.pem", client.ExportCertificatePem());
        var key = _dir.Write("slow-client.key", client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        using var release = new CancellationTokenSource();
        await using var server = await TlsServer.StartAsync(
            Pki.Issue("probe.internal", _issuing, new Pki.Spec { IpAddresses = [IPAddress.Loopback] }), [_issuing],
            respond: async context =>
            {
                // Never answers within the probe's timeout; released when the test ends.
                await Task.Delay(Timeout.Infinite, release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            });

        var (exit, output, error) = await Tool.Run("probe", $"https://127.0.0.1:{server.Port}/", "--bundle", Bundle, "--client-cert", certificate, "--client-key", key, "--timeout", "2");
        await release.CancelAsync();

        exit.Should().NotBe(5, error);
        output.Should().StartWith($"TRUSTED: 127.0.0.1:{server.Port}");
        error.Should().NotContain("refused the client certificate");
    }
}
