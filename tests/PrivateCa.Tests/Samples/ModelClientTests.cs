using System.ClientModel.Primitives;
using System.Net;
using System.Net.Sockets;
using ModelClient;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Samples;

/// <summary>The README's run command, end to end, and the sample's command line as a user meets it.</summary>
public sealed class ModelClientTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _dir.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task RunLocal_NoSetup_PrintsAnswersFromBothSdksAndTheRejection()
    {
        var exitCode = await Demo.RunLocalAsync(_output);

        var text = _output.ToString();
        exitCode.Should().Be(0, text);
        text.Should().Contain($"Models:                  {LocalModelServer.ModelName}");
        text.Should().Contain("OpenAI SDK:              Hello from private-echo-1 behind a private CA. You said: Which CA do you trust?");
        text.Should().Contain("OpenAI SDK, streaming:   Hello from private-echo-1 behind a private CA. You said: Stream this answer.");
        text.Should().Contain("Microsoft.Extensions.AI: Hello from private-echo-1 behind a private CA. You said: Hello through Microsoft.Extensions.AI.");
        text.Should().MatchRegex(@"PrivateCa rejected the certificate of 127\.0\.0\.1:\d+: issuer 'CN=Unknown Corp Root CA, O=Unknown Corp' is not in the 1 anchor loaded from")
            .And.Contain("Fix:");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task RunAsync_Help_PrintsUsageAndExitsZero(string flag)
    {
        var exitCode = await Run(flag);

        exitCode.Should().Be(ExitCode.Ok);
        _output.ToString().Should().StartWith("Usage: ModelClient").And.Contain("--api-key-env").And.Contain("Exit codes: 0");
        _error.ToString().Should().BeEmpty();
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("--endpoint")]
    [InlineData("--endpoint", "http://127.0.0.1:1/v1", "--model", "m")]
    [InlineData("--endpoint", "https://127.0.0.1:1/v1")]
    public async Task RunAsync_BadCommandLine_ExitsOneWithUsage(params string[] args)
    {
        var exitCode = await Run(args);

        exitCode.Should().Be(ExitCode.Usage);
        _error.ToString().Should().Contain("Usage: ModelClient");
    }

    [Fact]
    public async Task RunAsync_EndpointWithoutApiKey_AnswersAndSendsNoAuthorization()
    {
        var pki = DemoPki.Create("Keyless");
        await using var server = await LocalModelServer.StartAsync(pki.Server, [pki.Intermediate]);

        var exitCode = await Run("--endpoint", server.Endpoint.ToString(), "--model", LocalModelServer.ModelName,
            "--bundle", pki.WriteBundle(_dir.Path), "--api-key-env", "PRIVATECA_TEST_VARIABLE_NOBODY_SETS");

        exitCode.Should().Be(ExitCode.Ok, _error.ToString());
        _output.ToString().Should().Contain("OpenAI SDK:              Hello from private-echo-1");
        server.Seen.Requests.Should().BeGreaterThan(0);
        server.Seen.Authorized.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_EndpointFromAnotherCa_ExitsThreeWithTheExplanation()
    {
        var trusted = DemoPki.Create("Ours");
        var stranger = DemoPki.Create("Theirs");
        await using var server = await LocalModelServer.StartAsync(stranger.Server, [stranger.Intermediate]);

        var exitCode = await Run("--endpoint", server.Endpoint.ToString(), "--model", "m", "--bundle", trusted.WriteBundle(_dir.Path));

        exitCode.Should().Be(ExitCode.Untrusted);
        _error.ToString().Should().Contain("PrivateCa rejected the certificate of 127.0.0.1").And.Contain("CN=Theirs Root CA");
    }

    [Fact]
    public async Task RunAsync_BundleMissing_ExitsTwoNamingThePath()
    {
        var missing = Path.Combine(_dir.Path, "no-such-ca.pem");

        var exitCode = await Run("--endpoint", "https://127.0.0.1:1/v1", "--model", "m", "--bundle", missing);

        exitCode.Should().Be(ExitCode.BadInput, _error.ToString());
        _error.ToString().Should().Contain(missing);
    }

    [Fact]
    public async Task RunAsync_NothingListening_ExitsFour()
    {
        var pki = DemoPki.Create("Closed");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var exitCode = await Run($"--endpoint https://127.0.0.1:{port}/v1 --model m --bundle {pki.WriteBundle(_dir.Path)}".Split(' '));

        exitCode.Should().Be(ExitCode.NetworkFailure);
        _error.ToString().Should().Contain($"No answer from https://127.0.0.1:{port}/v1");
    }

    private Task<int> Run(params string[] args) =>
        ModelClientCommand.RunAsync(args, _output, _error, new ClientRetryPolicy(maxRetries: 0));
}
