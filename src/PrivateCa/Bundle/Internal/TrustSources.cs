using System.Collections.Immutable;
using PrivateCa.X509.Internal;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// The one decision of where trust comes from, made from the options and the environment without reading any file:
/// the loader's input, the trust-source cache's key, the reloader's watch list and the text of every message.
/// BundlePaths, when set, replace the environment; otherwise the first set variable of
/// <see cref="EnvironmentSources.Variables"/> decides and every other set variable is reported as not used.
/// </summary>
internal sealed class TrustSources : IEquatable<TrustSources>
{
    private TrustSources(ImmutableArray<TrustSource> sources, ImmutableArray<UnusedVariable> unused, bool extendsSystemTrust, bool followsEnvironment, bool watched,
        ImmutableArray<string> revocationLists)
    {
        RevocationLists = revocationLists.IsDefault ? [] : revocationLists;
        Sources = sources;
        Unused = unused;
        ExtendsSystemTrust = extendsSystemTrust;
        FollowsEnvironment = followsEnvironment;
        Watched = watched;
        Text = sources.IsEmpty ? "no source" : NameText.Escape(string.Join("; ", sources)); // paths from variables and configuration go into messages
        var crls = string.Join("\n", RevocationLists);
        Detail = $"{(followsEnvironment ? "env" : "paths")}|{(watched ? "watched" : "once")}|{extendsSystemTrust}|{string.Join("\n", sources.Select(s => $"{s.Kind}:{s.Variable}:{s.Path}"))}|crl:{crls}";

        // Sources that follow the environment and are watched are decided again at every reload: one such source serves
        // the whole process, whatever the variables said when it was made.
        Key = followsEnvironment && watched ? $"env|watched|crl:{crls}" : Detail;
    }

    /// <summary>What is read, in order; empty when nothing is configured.</summary>
    public ImmutableArray<TrustSource> Sources { get; }

    /// <summary>CRL files and folders (<see cref="PrivateCaTrustOptions.RevocationListPaths"/>), full paths; read with the bundle.</summary>
    public ImmutableArray<string> RevocationLists { get; }

    /// <summary>Variables that are set but not read.</summary>
    public ImmutableArray<UnusedVariable> Unused { get; }

    /// <summary>Whether the certificates add to the system roots (NODE_EXTRA_CA_CERTS alone) rather than replace them.</summary>
    public bool ExtendsSystemTrust { get; }

    /// <summary>Whether the sources come from the environment (UseEnvironment and no BundlePaths), so a changed variable changes them.</summary>
    public bool FollowsEnvironment { get; }

    /// <summary>Whether the files are watched and re-read (ReloadOnChange).</summary>
    public bool Watched { get; }

    /// <summary>For messages: "/etc/ssl/private.pem (SSL_CERT_FILE)".</summary>
    public string Text { get; }

    /// <summary>Everything decided: two descriptions with the same detail load the same thing the same way.</summary>
    public string Detail { get; }

    /// <summary>The trust-source cache's key: the detail, or one key for the watched environment, which is decided again at each reload.</summary>
    public string Key { get; }

    /// <summary>For the log: whether the certificates replace the system's roots or add to them.</summary>
    public string Effect => ExtendsSystemTrust
        ? "added to the system's roots (NODE_EXTRA_CA_CERTS is the only variable set)"
        : "in place of the system's roots";

    /// <summary>The folders to watch: each file's folder (where Kubernetes swaps its '..data' link and editors replace files),
    /// and each directory source itself (with everything below it when it is read recursively).</summary>
    public IEnumerable<(string Folder, bool Recursive)> WatchList =>
        Sources.Select(s => s.Kind switch
        {
            SourceKind.HashedDirectory => (s.Path, false),
            SourceKind.FileOrDirectory or SourceKind.FileOrHashedDirectory when Directory.Exists(s.Path) => (s.Path, s.Kind == SourceKind.FileOrDirectory),
            _ => (Path.GetDirectoryName(s.Path) ?? s.Path, false),
        }).Concat(RevocationLists.Select(p => Directory.Exists(p) ? (p, false) : (Path.GetDirectoryName(p) ?? p, false)));

    /// <summary>The decision at a reload: sources that follow the environment are decided again from the variables (the CRL
    /// paths, from the options, stay); others are this one.</summary>
    public TrustSources Redecide(Func<string, string?> environment) => FollowsEnvironment ? FromEnvironment(environment, Watched, RevocationLists) : this;

    /// <summary>Decides from the options and the variables; reads no file.</summary>
    public static TrustSources Resolve(PrivateCaTrustOptions options, Func<string, string?> environment)
    {
        ImmutableArray<string> crls = [.. options.RevocationListPaths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];
        if (options.BundlePaths.Count > 0)
        {
            var unused = options.UseEnvironment
                ? EnvironmentSources.SetVariables(environment).Select(v => new UnusedVariable(v.Variable, v.Value, "BundlePaths")).ToImmutableArray()
                : [];
            return new TrustSources([.. options.BundlePaths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Select(p => new TrustSource(p, null, SourceKind.FileOrDirectory))], unused,
                extendsSystemTrust: false, followsEnvironment: false, options.ReloadOnChange, crls);
        }

        if (!options.UseEnvironment)
        {
            return new TrustSources([], [], extendsSystemTrust: false, followsEnvironment: false, options.ReloadOnChange, crls);
        }

        return FromEnvironment(environment, options.ReloadOnChange, crls);
    }

    /// <summary>What the environment names, by the rule of <see cref="CertificateBundleLoader.LoadFromEnvironment()"/>.</summary>
    public static TrustSources FromEnvironment(Func<string, string?> environment, bool watched, ImmutableArray<string> revocationLists = default)
    {
        var (sources, unused, extends) = EnvironmentSources.Decide(environment);
        return new TrustSources(sources, unused, extends, followsEnvironment: true, watched, revocationLists);
    }

    /// <summary>Reads the sources into a bundle whose diagnostics include the unused variables.</summary>
    /// <param name="options">How to treat the input.</param>
    /// <param name="wellKnownLocations">Bundle files to suggest when nothing is configured.</param>
    /// <param name="rereads">Whether the caller reads these sources again when they change (a reloading source): then a pipe named
    /// as a file, which gives its content once, is refused rather than found empty, or waited on, at the next reload.</param>
    /// <exception cref="CertificateBundleException">Nothing is configured, or a source cannot be loaded.</exception>
    public CertificateBundle Load(BundleLoadOptions options, IReadOnlyList<string>? wellKnownLocations = null, bool rereads = false)
    {
        if (Sources.IsEmpty)
        {
            throw new CertificateBundleException(NothingConfigured.Message(FollowsEnvironment, wellKnownLocations));
        }

        var builder = new BundleBuilder(options, readsPipes: !rereads);
        foreach (var source in Sources)
        {
            switch (source.Kind)
            {
                case SourceKind.File:
                    builder.AddFile(source.Path, source.Variable);
                    break;
                case SourceKind.HashedDirectory:
                    builder.AddDirectory(source.Path, source.Variable, DirectoryLayout.OpenSslHashed);
                    break;
                case SourceKind.FileOrHashedDirectory when Directory.Exists(source.Path):
                    builder.AddDirectory(source.Path, source.Variable, DirectoryLayout.OpenSslHashed);
                    break;
                case SourceKind.FileOrHashedDirectory:
                    builder.AddFile(source.Path, source.Variable);
                    break;
                default:
                    builder.AddPath(source.Path, source.Variable);
                    break;
            }
        }

        foreach (var variable in Unused)
        {
            builder.Report(variable.ToDiagnostic());
        }

        return builder.Build(ExtendsSystemTrust);
    }

    public bool Equals(TrustSources? other) => other is not null && Detail == other.Detail;

    public override bool Equals(object? obj) => Equals(obj as TrustSources);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Detail);

    public override string ToString() => Text;
}
