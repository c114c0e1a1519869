using YamlDotNet.RepresentationModel;
using static PrivateCa.Tests.Samples.KubernetesManifest;

namespace PrivateCa.Tests.Samples;

/// <summary>The Kubernetes manifests are valid YAML documents with what kubectl needs, and mount the CA so that rotation reaches the pod.</summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Manifests => new() { "configmap-deployment.yaml", "trust-manager-bundle.yaml", "mtls-secret.yaml" };

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifest_EveryDocument_HasApiVersionKindAndName(string file)
    {
        var documents = Documents(file);

        documents.Should().NotBeEmpty();
        documents.Should().OnlyContain(d => At(d, "apiVersion") != null && At(d, "kind") != null && At(d, "metadata", "name") != null);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Manifest_Deployment_MountsTheBundleAsADirectoryAndPointsSslCertFileIntoIt(string file)
    {
        var deployment = Documents(file).Single(d => At(d, "kind")!.ToString() == "Deployment");
        var container = (YamlMappingNode)((YamlSequenceNode)At(deployment, "spec", "template", "spec", "containers")!).Children[0];
        var mounts = ((YamlSequenceNode)At(container, "volumeMounts")!).Children.Cast<YamlMappingNode>().ToList();
        var env = ((YamlSequenceNode)At(container, "env")!).Children.Cast<YamlMappingNode>()
            .ToDictionary(e => At(e, "name")!.ToString(), e => At(e, "value")!.ToString());
        var volumes = ((YamlSequenceNode)At(deployment, "spec", "template", "spec", "volumes")!).Children.Cast<YamlMappingNode>().ToList();

        mounts.Should().OnlyContain(m => At(m, "subPath") == null, "the kubelet never updates subPath mounts");
        env.Should().ContainKey("SSL_CERT_FILE");
        mounts.Should().Contain(m => env["SSL_CERT_FILE"].StartsWith(At(m, "mountPath")!.ToString() + "/", StringComparison.Ordinal));
        mounts.Select(m => At(m, "name")!.ToString()).Should().BeSubsetOf(volumes.Select(v => At(v, "name")!.ToString()));
        At(deployment, "spec", "selector", "matchLabels", "app")!.ToString().Should().Be(At(deployment, "spec", "template", "metadata", "labels", "app")!.ToString());
    }

    [Fact]
    public void MtlsManifest_SelfContained_DefinesItsNamespaceConfigMapAndSecretAndTheKeyIsReadableByThePod()
    {
        var documents = Documents("mtls-secret.yaml");
        var deployment = documents.Single(d => At(d, "kind")!.ToString() == "Deployment");
        var pod = At(deployment, "spec", "template", "spec")!;
        var volumes = ((YamlSequenceNode)At(pod, "volumes")!).Children.Cast<YamlMappingNode>().ToList();
        string[] Named(string kind) => [.. documents.Where(d => At(d, "kind")!.ToString() == kind).Select(d => At(d, "metadata", "name")!.ToString())];

        Named("Namespace").Should().Contain(At(deployment, "metadata", "namespace")!.ToString());
        foreach (var volume in volumes)
        {
            if (At(volume, "configMap", "name") is { } configMap)
            {
                Named("ConfigMap").Should().Contain(configMap.ToString());
            }

            if (At(volume, "secret", "secretName") is { } secret)
            {
                Named("Secret").Should().Contain(secret.ToString());

                // A key the pod's user cannot read fails at start-up: group-readable and owned by the pod's fsGroup.
                var mode = Convert.ToInt32(At(volume, "secret", "defaultMode")!.ToString(), 8);
                (mode & 0b100_000).Should().NotBe(0, "the key must be readable by the pod's group");
                At(pod, "securityContext", "fsGroup").Should().NotBeNull();
            }
        }
    }
}
