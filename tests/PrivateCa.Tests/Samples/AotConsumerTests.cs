using System.Text.RegularExpressions;
using ModelClient;
using PrivateCa.Tests.Infrastructure;

namespace PrivateCa.Tests.Samples;

/// <summary>
/// samples/AotConsumer published as a native executable (needs clang and zlib1g-dev; .ci/run installs them), then run:
/// a trusted call through AddPrivateCaTrust with the bundle from SSL_CERT_FILE, and a rejection.
/// </summary>
public sealed partial class AotConsumerTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DemoPki _pki = DemoPki.Create("Native");
    private LocalModelServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalModelServer.StartAsync(_pki.Server, [_pki.Intermediate]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PublishAot_NoWarningFromPrivateCa_NativeBinaryMakesTrustedCallAndExplainsRejection()
    {
        (await Shell.RunAsync("command -v clang", _dir.Path)).ExitCode.Should().Be(0,
            "native AOT needs clang and zlib1g-dev: 'apt-get install -y clang zlib1g-dev' (.ci/run installs them when missing)");

        // Its own artifacts folder: the publish never touches the obj/bin folders of the tree under test.
        var output = Path.Combine(_dir.Path, "out");
        var (published, log) = await Shell.RunAsync(
            $"dotnet publish samples/AotConsumer -c Release -r linux-x64 --artifacts-path '{_dir.Path}/artifacts' -o '{output}'",
            Shell.RepositoryRoot, timeout: TimeSpan.FromMinutes(6));

        published.Should().Be(0, log);
        log.Should().Contain("Generating native code");
        TrimOrAotWarning().Matches(log).Select(m => m.Value).Should().BeEmpty("PrivateCa is IsAotCompatible");

        var environment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = _pki.WriteBundle(_dir.Path) };
        var binary = Path.Combine(output, "AotConsumer");
        var (trusted, answer) = await Shell.RunAsync($"'{binary}' {new Uri(_server.Endpoint, "models")}", _dir.Path, environment);
        trusted.Should().Be(0, answer);
        answer.Should().Contain(LocalModelServer.ModelName);

        var stranger = DemoPki.Create("Not Native");
        await using var untrusted = await LocalModelServer.StartAsync(stranger.Server, [stranger.Intermediate]);
        var (rejected, explanation) = await Shell.RunAsync($"'{binary}' {new Uri(untrusted.Endpoint, "models")}", _dir.Path, environment);
        rejected.Should().Be(3, explanation);
        explanation.Should().Contain("PrivateCa rejected the certificate of 127.0.0.1").And.Contain("CN=Not Native Root CA");
    }

    [GeneratedRegex(@"^.*warning (IL\d{4}|IL3\d{3}|CS\d{4}|AOT\w*).*$", RegexOptions.Multiline)]
    private static partial Regex TrimOrAotWarning();
}
