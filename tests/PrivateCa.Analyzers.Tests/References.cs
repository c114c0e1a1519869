using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace PrivateCa.Analyzers.Tests;

/// <summary>
/// Compiles test sources against the running .NET 10 framework, Microsoft.Extensions.Http and PrivateCa, all already on
/// disk: no reference-assembly package is downloaded.
/// </summary>
internal static class References
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> All = new(Load);

    public static ReferenceAssemblies None { get; } = new("net10.0");

    public static ImmutableArray<MetadataReference> Framework => All.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. trusted
            .Where(path => Path.GetDirectoryName(path) == frameworkDirectory
                || Path.GetFileName(path) is "PrivateCa.dll" || Path.GetFileName(path).StartsWith("Microsoft.Extensions.", StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}
