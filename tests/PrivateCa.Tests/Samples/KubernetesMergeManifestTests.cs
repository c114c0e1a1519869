using PrivateCa.Tests.Cli;
using PrivateCa.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using static PrivateCa.Tests.Samples.KubernetesManifest;

namespace PrivateCa.Tests.Samples;

/// <summary>
/// The init-container merge and the merge --watch sidecar manifests: valid documents, the merged file in an emptyDir
/// that every container names, a non-root read-only tool container, and arguments the real tool accepts.
/// </summary>
public sealed class KubernetesMergeManifestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Manifests => new() { "init-container-merge.yaml", "merge-watch-sidecar.yaml" };

    private static List<YamlMappingNode> Sequence(YamlNode node, params string[] path) =>
        At(node, path) is YamlSequenceNode sequence ? [.. sequence.Children.Cast<YamlMappingNode>()] : [];

    private static string[] Args(YamlMappingNode container) =>
        At(container, "args") is YamlSequenceNode args ? [.. args.Children.Select(c => c.ToString())] : [];

    private static (YamlMappingNode Pod, YamlMappingNode Tool, List<YamlMappingNode> Apps) Parts(string file)
    {
        var deployment = Documents(file).Single(d => At(d, "kind")!.ToString() == "Deployment");
        var pod = (YamlMappingNode)At(deployment, "spec", "template", "spec")!;
        var tool = Sequence(pod, "initContainers").Single(c => Args(c).FirstOrDefault() == "merge");
        return (pod, tool, Sequence(pod, "containers"));
    }

    private static string After(string[] args, string option) => args[Array.IndexOf(args, option) + 1];

    private static string? MountOf(YamlMappingNode container, string path) =>
        Sequence(container, "volumeMounts").Where(m => path.StartsWith(At(m, "mountPath")!.ToString() + "/", StringComparison.Ordinal))
            .Select(m => At(m, "name")!.ToString()).SingleOrDefault();

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifest_EveryDocument_HasApiVersionKindAndName(string file)
    {
        Documents(file).Should().NotBeEmpty().And.OnlyContain(d => At(d, "apiVersion") != null && At(d, "kind") != null && At(d, "metadata", "name") != null);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifest_MergedFile_IsInAnEmptyDirThatEveryContainerNamesWithSslCertFile(string file)
    {
        var (pod, tool, apps) = Parts(file);
        var args = Args(tool);
        var output = After(args, "--out");
        var shared = MountOf(tool, output);
        var volumes = Sequence(pod, "volumes").ToDictionary(v => At(v, "name")!.ToString());

        shared.Should().NotBeNull();
        At(volumes[shared!], "emptyDir").Should().NotBeNull();
        At(volumes[MountOf(tool, After(args, "--add") + "/ca.crt")!], "configMap", "name").Should().NotBeNull("the tool reads the ConfigMap volume");
        Sequence(tool, "volumeMounts").Concat(apps.SelectMany(a => Sequence(a, "volumeMounts"))).Should().OnlyContain(m => At(m, "subPath") == null);
        apps.Should().NotBeEmpty().And.OnlyContain(a => MountOf(a, output) == shared
            && Sequence(a, "env").Any(e => At(e, "name")!.ToString() == "SSL_CERT_FILE" && At(e, "value")!.ToString() == output));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifest_ToolContainer_RunsAsNonRootWithAReadOnlyRootFilesystem(string file)
    {
        var (pod, tool, _) = Parts(file);

        At(pod, "securityContext", "runAsNonRoot")!.ToString().Should().Be("true");
        At(tool, "securityContext", "readOnlyRootFilesystem")!.ToString().Should().Be("true");
        At(tool, "securityContext", "allowPrivilegeEscalation")!.ToString().Should().Be("false");
    }

    [Fact]
    public void InitContainerManifest_StatesTheRotationCaveat()
    {
        File.ReadAllText(Path.Combine(Folder, "init-container-merge.yaml")).Should().Contain("ROTATION CAVEAT").And.Contain("never updated");
        Args(Parts("init-container-merge.yaml").Tool).Should().NotContain("--watch");
    }

    [Fact]
    public void SidecarManifest_IsANativeSidecarSharedWithAPythonContainer()
    {
        var (_, tool, apps) = Parts("merge-watch-sidecar.yaml");

        At(tool, "restartPolicy")!.ToString().Should().Be("Always");
        Args(tool).Should().Contain("--watch");
        At(tool, "startupProbe", "exec", "command").Should().NotBeNull();
        apps.Should().Contain(a => Sequence(a, "env").Any(e => At(e, "name")!.ToString() == "REQUESTS_CA_BUNDLE"), "requests reads REQUESTS_CA_BUNDLE");
    }

    [Fact]
    public async Task InitContainerManifest_ArgumentsRunWithTheRealTool()
    {
        var args = Args(Parts("init-container-merge.yaml").Tool);
        _dir.Write("configmap/ca.crt", Pki.PemOf(Pki.Root("Manifest Init Root")));
        Directory.CreateDirectory(_dir.File("shared"));

        var (exit, _, error) = await Tool.Run([.. args.Select(a => a.Replace("/etc/privateca", _dir.File("configmap"), StringComparison.Ordinal).Replace("/shared", _dir.File("shared"), StringComparison.Ordinal))]);

        exit.Should().Be(0, error);
        CertificateBundleLoader.Load(_dir.File("shared/ca-certificates.crt")).Origins.Should().Contain(o => o.Subject == "CN=Manifest Init Root");
    }
}
