using System.Buffers;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// The file-system part of loading: files, directories (recursive, or OpenSSL's hashed layout), symbolic links and
/// Kubernetes' <c>..data</c> volumes, size limits, unreadable files, and pipes named as files (<see cref="InheritedPipe"/>).
/// Hands each file's bytes to <see cref="BundleDecoder"/>.
/// </summary>
internal sealed class BundleFileWalker
{
    private readonly BundleLoadOptions _options;
    private readonly BundleAssembly _assembly;
    private readonly BundleDecoder _decoder;
    private readonly bool _readsPipes;
    private readonly HashSet<string> _filesRead = new(StringComparer.Ordinal);

    /// <param name="options">How to treat the input.</param>
    /// <param name="assembly">Where certificates, sources and findings go.</param>
    /// <param name="decoder">What reads each file's bytes.</param>
    /// <param name="readsPipes">Whether a pipe named as a file may be read: true when these sources are read once, false when they are
    /// watched and read again (a pipe gives its content once; a re-read would find it empty, or wait on a writer forever).</param>
    public BundleFileWalker(BundleLoadOptions options, BundleAssembly assembly, BundleDecoder decoder, bool readsPipes)
    {
        _options = options;
        _assembly = assembly;
        _decoder = decoder;
        _readsPipes = readsPipes;
    }

    /// <summary>Reads a file, or every certificate file below a directory.</summary>
    public void AddPath(string path, string? variable)
    {
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            AddDirectory(fullPath, variable, DirectoryLayout.Recursive);
        }
        else
        {
            AddFile(fullPath, variable);
        }
    }

    /// <summary>Reads one file, whatever its name.</summary>
    public void AddFile(string path, string? variable)
    {
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new CertificateBundleException(fullPath, variable, null, "this is a directory, and a file was expected",
                variable is null ? "Name a certificate file." : $"{variable} names a file; put directories in SSL_CERT_DIR (or REQUESTS_CA_BUNDLE).");
        }

        var seen = _assembly.CertificatesSeen;
        if (ReadFile(fullPath, variable, fromDirectory: false) && _assembly.CertificatesSeen == seen)
        {
            throw BundleAssembly.NoCertificate(fullPath, variable);
        }
    }

    /// <summary>Reads the certificate files of a directory (see <see cref="DirectoryLayout"/>).</summary>
    public void AddDirectory(string path, string? variable, DirectoryLayout layout)
    {
        var fullPath = Path.GetFullPath(path);
        if (!Directory.Exists(fullPath))
        {
            throw new CertificateBundleException(fullPath, variable, null,
                File.Exists(fullPath) ? "this is a file, and a directory was expected" : "no such directory",
                "Check the path (and, in Kubernetes, that the volume is mounted there).");
        }

        var seen = _assembly.CertificatesSeen;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        WalkDirectory(fullPath, variable, layout, visited, depth: 0);
        if (_assembly.CertificatesSeen == seen)
        {
            var reason = layout == DirectoryLayout.OpenSslHashed
                ? "no certificate: OpenSSL (and so Python and curl) reads only files named by subject hash here, like 'a1b2c3d4.0'"
                : "no certificate file (*.pem, *.crt, *.cer, *.der, *.p7b, *.p7c or OpenSSL hashed names like 'a1b2c3d4.0') in it or below it";
            var fix = layout == DirectoryLayout.OpenSslHashed
                ? "Run 'openssl rehash' on the directory, or point SSL_CERT_FILE at a bundle file instead."
                : "Put the CA certificates in the directory, or name the bundle file itself.";
            throw new CertificateBundleException(fullPath, variable, null, reason, fix);
        }
    }

    private void WalkDirectory(string directory, string? variable, DirectoryLayout layout, HashSet<string> visited, int depth)
    {
        var real = ResolveFinalPath(directory) ?? directory;
        if (!visited.Add(real) || depth > 32)
        {
            return;
        }

        string[] names;
        try
        {
            names = [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>()];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CertificateBundleException(directory, variable, null, $"the directory cannot be listed ({ex.Message})",
                "Check its permissions.", ex);
        }

        Array.Sort(names, StringComparer.Ordinal);
        foreach (var name in names)
        {
            // Kubernetes volumes hold '..data' and '..<timestamp>' next to top-level links into them:
            // reading the links alone reads each key once.
            if (name.StartsWith("..", StringComparison.Ordinal))
            {
                continue;
            }

            var entry = Path.Combine(directory, name);
            if (layout == DirectoryLayout.OpenSslHashed)
            {
                if (IsHashedName(name) && File.Exists(entry))
                {
                    ReadFile(entry, variable, fromDirectory: true);
                }

                continue;
            }

            if (Directory.Exists(entry))
            {
                WalkDirectory(entry, variable, layout, visited, depth + 1);
            }
            else if (IsCertificateFileName(name))
            {
                ReadFile(entry, variable, fromDirectory: true);
            }
            else
            {
                _assembly.Diagnose(new BundleDiagnostic(BundleDiagnosticCode.SkippedFile, BundleDiagnosticSeverity.Information, entry, null, null, null,
                    $"{entry} was not read: its name is not a certificate file name (*.pem, *.crt, *.cer, *.der, *.p7b, *.p7c, or a hashed name like 'a1b2c3d4.0')."));
            }
        }
    }

    /// <returns>False when the file had already been read (through another link or variable).</returns>
    private bool ReadFile(string path, string? variable, bool fromDirectory)
    {
        // A pipe is read only where it was named: a directory's entries are files.
        var pipe = fromDirectory ? null : InheritedPipe.Find(path);
        var real = pipe?.Identity ?? ResolveFinalPath(path);
        if (real is null)
        {
            // Ask for the link itself: a dangling link is not the same mistake as a wrong path.
            var reason = InheritedPipe.DescribeOther(path) is { } other ? $"it names an open descriptor that is '{other}', not a file or a pipe"
                : new FileInfo(path).LinkTarget is null ? "no such file"
                : "a symbolic link whose target does not exist";
            throw new CertificateBundleException(path, variable, null, reason,
                variable is null ? "Check the path." : $"Set {variable} to an existing file, or unset it.");
        }

        if (!_filesRead.Add(real))
        {
            return false;
        }

        byte[] content;
        int contentLength;
        try
        {
            content = pipe is null ? RegularFile.Read(path, real, variable, _options.MaxFileSize, out contentLength)
                : _readsPipes ? pipe.ReadOnce(path, variable, _options.MaxFileSize, out contentLength)
                : throw new CertificateBundleException(path, variable, null,
                    "it is a pipe (process substitution such as '<(cat ca.pem)'), which can be read only once, and this source is watched and read again when it changes",
                    "Write the bundle to a file, or set ReloadOnChange to false.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (fromDirectory && _assembly.SkipsMalformedInput)
            {
                _assembly.Skipped(path, null, $"the file cannot be read ({ex.Message})");
                return true;
            }

            throw new CertificateBundleException(path, variable, null, $"the file cannot be read ({ex.Message})",
                "Check that it exists and that this process may read it.", ex);
        }

        int added;
        try
        {
            if (contentLength == 0 || contentLength > _options.MaxFileSize)
            {
                throw new CertificateBundleException(path, variable, null,
                    contentLength == 0 ? "the file is empty" : $"the file is over the {_options.MaxFileSize:N0}-byte limit",
                    "Check that it was written completely (a half-written or truncated copy is a common cause).");
            }

            added = _decoder.ReadContent(content.AsMemory(0, contentLength), path, variable);
        }
        catch (CertificateBundleException ex) when (fromDirectory && _assembly.SkipsMalformedInput)
        {
            _assembly.Skipped(path, ex.Line, ex.Reason ?? ex.Message);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(content);
        }

        _assembly.AddSource(new BundleSource(path, variable, added));
        return true;
    }

    /// <summary>The path with every symbolic link of its last component followed, or null when a link dangles or nothing is there.</summary>
    private static string? ResolveFinalPath(string path)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                return target is { Exists: true } ? Path.GetFullPath(target.FullName) : null;
            }

            return info.Exists ? info.FullName : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    internal static bool IsHashedName(string name)
    {
        // OpenSSL's c_rehash names: 8 lower-case hex digits of the subject hash, a dot, a sequence number.
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot == 8
            && name.AsSpan(0, 8).ContainsAnyExcept(LowerHex) is false
            && name.Length > 9
            && name.AsSpan(9).ContainsAnyExceptInRange('0', '9') is false;
    }

    internal static bool IsCertificateFileName(string name) =>
        IsHashedName(name)
        || Path.GetExtension(name).ToUpperInvariant() is ".PEM" or ".CRT" or ".CER" or ".DER" or ".P7B" or ".P7C";
}
