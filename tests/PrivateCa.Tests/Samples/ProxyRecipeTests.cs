using System.Diagnostics;
using ModelClient;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Samples;

/// <summary>
/// The README's proxy recipe: HTTPS_PROXY / NO_PROXY as curl and Python read them, through a TLS-inspecting proxy. The
/// variables are read once per process, so the sample runs as a process with the environment each case gives.
/// </summary>
public sealed class ProxyRecipeTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] Inherited = ["SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS",
        "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];

    private readonly TempDirectory _dir = new();
    private readonly DemoPki _pki = DemoPki.Create("Model Team");
    private LocalModelServer _server = null!;
    private InterceptingProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalModelServer.StartAsync(_pki.Server, [_pki.Intermediate]);
        _proxy = new InterceptingProxy("Corp TLS Inspection CA", _pki.Root);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _server.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task HttpsProxy_InspectingProxyCaInBundle_TrustedThroughTheProxy()
    {
        var bundle = _dir.Write("with-proxy-ca.pem", _pki.Root.ExportCertificatePem() + "\n" + _proxy.CaPem);

        var (exitCode, output) = await RunSample(bundle, new() { ["HTTPS_PROXY"] = _proxy.Url.ToString() });

        exitCode.Should().Be(ExitCode.Ok, output);
        output.Should().Contain("OpenAI SDK:              Hello from private-echo-1");
        _proxy.Connects.Should().Contain($"127.0.0.1:{_server.Endpoint.Port}");
    }

    [Fact]
    public async Task HttpsProxy_ProxyCaMissing_RejectionNamesTheProxyAndItsCa()
    {
        var bundle = _pki.WriteBundle(_dir.Path);

        var (exitCode, output) = await RunSample(bundle, new() { ["HTTPS_PROXY"] = _proxy.Url.ToString() });

        exitCode.Should().Be(ExitCode.Untrusted, output);
        output.Should().Contain("issuer 'CN=Corp TLS Inspection CA, O=Corp Network Security' is not in the 1 anchor")
            .And.Contain($"The connection went through the proxy {_proxy.Url}");
    }

    [Fact]
    public async Task NoProxy_NamesTheEndpoint_DirectAndTrustedWithoutTheProxyCa()
    {
        var bundle = _pki.WriteBundle(_dir.Path);

        var (exitCode, output) = await RunSample(bundle, new() { ["HTTPS_PROXY"] = _proxy.Url.ToString(), ["NO_PROXY"] = "127.0.0.1" });

        exitCode.Should().Be(ExitCode.Ok, output);
        _proxy.Connects.Should().BeEmpty();
    }

    private async Task<(int ExitCode, string Output)> RunSample(string bundle, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "ModelClient.dll"), "--endpoint", _server.Endpoint.ToString(), "--model", LocalModelServer.ModelName, "--bundle", bundle })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in Inherited)
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
