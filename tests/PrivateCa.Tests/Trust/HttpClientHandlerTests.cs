using System.Security.Cryptography.X509Certificates;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Trust;

/// <summary>The same engine behind <see cref="TrustedHandlerFactory.CreateHttpClientHandler"/>; it cannot redirect names, so these use 'localhost'.</summary>
public sealed class HttpClientHandlerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = Pki.Root("Handler Root");
    private readonly X509Certificate2 _issuing;

    public HttpClientHandlerTests()
    {
        _issuing = Pki.Intermediate("Handler Issuing", _root);
    }

    public void Dispose() => _dir.Dispose();

    private async Task<(string? Body, Exception? Error)> Get(X509Certificate2 leaf, X509Certificate2[]? chain, Action<PrivateCaTrustOptions>? configure = null)
    {
        await using var server = await TlsServer.StartAsync(leaf, chain);
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(_dir.Write($"{Guid.NewGuid():N}.pem", Pki.PemOf(_root)));
        configure?.Invoke(options);
        using var client = new HttpClient(new TrustedHandlerFactory(options).CreateHttpClientHandler());
        return await LoopbackClient.TryGetAsync(client, server.Url("localhost"));
    }

    [Fact]
    public async Task HttpClientHandler_TrustedChain_Succeeds()
    {
        (await Get(Pki.Server(_issuing, "localhost"), [_issuing])).Body.Should().Be("ok");
    }

    [Fact]
    public async Task HttpClientHandler_UntrustedRoot_ThrowsExplainedRejection()
    {
        var stranger = Pki.Root("Stranger");

        var result = await Get(Pki.Server(stranger, "localhost"), null);

        var error = result.Error!.InnerException.Should().BeOfType<CertificateTrustException>().Subject;
        error.Failure.Should().Be(TrustFailure.UntrustedRoot);
        error.Host.Should().Be("localhost");
        error.Port.Should().NotBeNull();
        error.Message.Should().StartWith($"PrivateCa rejected the certificate of localhost:{error.Port}: ");
    }

    [Fact]
    public async Task HttpClientHandler_NameMismatch_ThrowsExplainedRejection()
    {
        var result = await Get(Pki.Server(_issuing, "elsewhere.internal"), [_issuing]);

        result.Error!.InnerException.Should().BeOfType<CertificateTrustException>()
            .Which.Reason.Should().Be("certificate is for DNS:elsewhere.internal, not localhost");
    }

    [Fact]
    public async Task HttpClientHandler_PinMismatch_Rejected()
    {
        var result = await Get(Pki.Server(_issuing, "localhost"), [_issuing], o => o.PinnedSpkiSha256.Add(Pki.SpkiPin(Pki.Root("x"))));

        result.Error!.InnerException.Should().BeOfType<CertificateTrustException>().Which.Failure.Should().Be(TrustFailure.PinMismatch);
    }
}
