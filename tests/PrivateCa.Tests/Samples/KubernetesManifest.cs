using YamlDotNet.RepresentationModel;

namespace PrivateCa.Tests.Samples;

/// <summary>Reads the manifests of samples/kubernetes with a YAML parser, as kubectl would.</summary>
internal static class KubernetesManifest
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "../../../../../samples/kubernetes");

    public static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Folder, file));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    /// <summary>The node at a path of mapping keys, or null when any key is missing.</summary>
    public static YamlNode? At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            node = next;
        }

        return node;
    }
}
