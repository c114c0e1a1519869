namespace PrivateCa.Tests.Cli;

/// <summary>The tool image: multi-stage, non-root, and what the manifests run is where the image puts it.</summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "../../../../../src/PrivateCa.Cli/Dockerfile"))
        .Where(l => !l.StartsWith('#') && !string.IsNullOrWhiteSpace(l)).ToArray();

    [Fact]
    public void Dockerfile_FinalStage_IsTheRuntimeImageRunAsANonRootUser()
    {
        var stages = Lines.Select((line, index) => (line, index)).Where(l => l.line.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var final = Lines[stages[^1].index..];

        stages.Should().HaveCountGreaterThanOrEqualTo(2);
        stages[0].line.Should().Contain("dotnet/sdk:10.0");
        final[0].Should().Contain("dotnet/runtime:10.0");
        final.Should().ContainSingle(l => l.StartsWith("USER ", StringComparison.Ordinal)).Which.Should().NotBe("USER root").And.NotBe("USER 0");
        final.Should().Contain(l => l.StartsWith("COPY --from=build", StringComparison.Ordinal)).And.NotContain(l => l.StartsWith("RUN ", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_Entrypoint_IsWhatTheSidecarProbeRuns()
    {
        var manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../samples/kubernetes/merge-watch-sidecar.yaml"));

        Lines.Should().Contain("ENTRYPOINT [\"dotnet\", \"/app/PrivateCa.Cli.dll\"]");
        manifest.Should().Contain("command: [\"dotnet\", \"/app/PrivateCa.Cli.dll\", \"inspect\"");
    }
}
