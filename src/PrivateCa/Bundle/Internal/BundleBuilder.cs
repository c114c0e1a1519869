using System.Text;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// Reads files, directories and PEM text into one de-duplicated list of <see cref="CertificateEntry"/>, with
/// diagnostics: walking (<see cref="BundleFileWalker"/>) → decoding (<see cref="BundleDecoder"/>) → assembly
/// (<see cref="BundleAssembly"/>). Used once per load, by one thread; the result is an immutable <see cref="CertificateBundle"/>.
/// </summary>
internal sealed class BundleBuilder
{
    private readonly BundleAssembly _assembly;
    private readonly BundleDecoder _decoder;
    private readonly BundleFileWalker _walker;

    /// <param name="options">How to treat the input.</param>
    /// <param name="readsPipes">False when the sources will be read again (watched): a pipe named as a file gives its content once.</param>
    public BundleBuilder(BundleLoadOptions options, bool readsPipes = true)
    {
        _assembly = new BundleAssembly(options);
        _decoder = new BundleDecoder(_assembly);
        _walker = new BundleFileWalker(options, _assembly, _decoder, readsPipes);
    }

    /// <summary>Reads a file, or every certificate file below a directory.</summary>
    public void AddPath(string path, string? variable) => _walker.AddPath(path, variable);

    /// <summary>Reads one file, whatever its name.</summary>
    public void AddFile(string path, string? variable) => _walker.AddFile(path, variable);

    /// <summary>Reads the certificate files of a directory (see <see cref="DirectoryLayout"/>).</summary>
    public void AddDirectory(string path, string? variable, DirectoryLayout layout) => _walker.AddDirectory(path, variable, layout);

    /// <summary>Reads PEM text that is already in memory.</summary>
    public void AddPem(string pem, string sourceName) => AddBytes(Encoding.UTF8.GetBytes(pem), sourceName);

    /// <summary>Reads bundle bytes that are already in memory (PEM, DER or PKCS#7), as a file's content is read.</summary>
    public void AddBytes(ReadOnlyMemory<byte> content, string sourceName)
    {
        var seen = _assembly.CertificatesSeen;
        var added = _decoder.ReadContent(content, sourceName, variable: null);
        _assembly.AddSource(new BundleSource(sourceName, null, added));
        if (_assembly.CertificatesSeen == seen)
        {
            throw BundleAssembly.NoCertificate(sourceName, null);
        }
    }

    /// <summary>Adds a finding made outside the files (an environment variable that is set but not used).</summary>
    public void Report(BundleDiagnostic diagnostic) => _assembly.DiagnoseAlways(diagnostic);

    public CertificateBundle Build(bool extendsSystemTrust) => _assembly.Build(extendsSystemTrust);
}
