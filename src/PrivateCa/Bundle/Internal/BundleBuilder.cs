using System.Buffers;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// Reads files, directories and PEM text into one de-duplicated list of <see cref="CertificateEntry"/>,
/// with diagnostics. Used once per load, by one thread; the result is an immutable <see cref="CertificateBundle"/>.
/// </summary>
internal sealed class BundleBuilder
{
    private readonly BundleLoadOptions _options;
    private readonly List<CertificateEntry> _entries = [];
    private readonly Dictionary<ReadOnlyMemory<byte>, CertificateEntry> _byDer = new(ByteSequenceComparer.Instance);
    private readonly HashSet<ReadOnlyMemory<byte>> _rejected = new(ByteSequenceComparer.Instance);
    private readonly HashSet<string> _filesRead = new(StringComparer.Ordinal);
    private readonly List<BundleSource> _sources = [];
    private readonly List<BundleDiagnostic> _diagnostics = [];
    private int _certificatesSeen;

    public BundleBuilder(BundleLoadOptions options) => _options = options;

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

        var seen = _certificatesSeen;
        if (ReadFile(fullPath, variable, fromDirectory: false) && _certificatesSeen == seen)
        {
            throw NoCertificate(fullPath, variable);
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

        var seen = _certificatesSeen;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        WalkDirectory(fullPath, variable, layout, visited, depth: 0);
        if (_certificatesSeen == seen)
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

    /// <summary>Reads PEM text that is already in memory.</summary>
    public void AddPem(string pem, string sourceName) => AddBytes(Encoding.UTF8.GetBytes(pem), sourceName);

    /// <summary>Reads bundle bytes that are already in memory (PEM, DER or PKCS#7), as a file's content is read.</summary>
    public void AddBytes(ReadOnlyMemory<byte> content, string sourceName)
    {
        var seen = _certificatesSeen;
        var added = ReadContent(content, sourceName, variable: null);
        _sources.Add(new BundleSource(sourceName, null, added));
        if (_certificatesSeen == seen)
        {
            throw NoCertificate(sourceName, null);
        }
    }

    /// <summary>Adds a finding made outside the files (an environment variable that is set but not used).</summary>
    public void Report(BundleDiagnostic diagnostic) => _diagnostics.Add(diagnostic);

    public CertificateBundle Build(bool extendsSystemTrust)
    {
        var entries = _rejected.Count == 0 ? _entries : [.. _entries.Where(e => !_rejected.Contains(e.Der))];
        return new CertificateBundle([.. entries], [.. _sources], [.. _diagnostics], _options.TimeProvider.GetUtcNow(), extendsSystemTrust);
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
                _diagnostics.Add(new BundleDiagnostic(BundleDiagnosticCode.SkippedFile, BundleDiagnosticSeverity.Information, entry, null, null, null,
                    $"{entry} was not read: its name is not a certificate file name (*.pem, *.crt, *.cer, *.der, *.p7b, *.p7c, or a hashed name like 'a1b2c3d4.0')."));
            }
        }
    }

    /// <returns>False when the file had already been read (through another link or variable).</returns>
    private bool ReadFile(string path, string? variable, bool fromDirectory)
    {
        var real = ResolveFinalPath(path);
        if (real is null)
        {
            // Ask for the link itself: a dangling link is not the same mistake as a wrong path.
            var reason = new FileInfo(path).LinkTarget is null ? "no such file" : "a symbolic link whose target does not exist";
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
            var info = new FileInfo(real);
            if ((info.Attributes & FileAttributes.Directory) != 0)
            {
                throw new CertificateBundleException(path, variable, null, "this is a directory, and a file was expected", "Name a certificate file.");
            }

            if (info.Length == 0)
            {
                // Checked before opening: a pipe or device reports 0 bytes, and opening a pipe would block.
                throw new CertificateBundleException(path, variable, null, "the file is empty (0 bytes; a pipe or device also shows as empty and is not read)",
                    "Check that it was written completely, or point it at the bundle file itself.");
            }

            if (info.Length > _options.MaxFileSize)
            {
                throw new CertificateBundleException(path, variable, null,
                    $"the file is {info.Length:N0} bytes, over the {_options.MaxFileSize:N0}-byte limit",
                    "Check that this is a CA bundle; raise BundleLoadOptions.MaxFileSize if it really is one.");
            }

            content = ReadAll(real, _options.MaxFileSize, out contentLength);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (fromDirectory && _options.SkipMalformedInput)
            {
                Skipped(path, null, $"the file cannot be read ({ex.Message})");
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

            added = ReadContent(content.AsMemory(0, contentLength), path, variable);
        }
        catch (CertificateBundleException ex) when (fromDirectory && _options.SkipMalformedInput)
        {
            Skipped(path, ex.Line, ex.Reason ?? ex.Message);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(content);
        }

        _sources.Add(new BundleSource(path, variable, added));
        return true;
    }

    private int ReadContent(ReadOnlyMemory<byte> content, string source, string? variable)
    {
        var before = _entries.Count;
        var data = content.Span.StartsWith(Encoding.UTF8.Preamble) ? content[Encoding.UTF8.Preamble.Length..] : content;
        var found = false;
        if (data.Length > 0 && data.Span[0] == 0x30)
        {
            ReadBinary(data, source, variable);
            found = true;
        }
        else
        {
            var scan = PemScanner.Scan(data.Span);
            foreach (var block in scan.Blocks)
            {
                ReadPemBlock(data.Span.Slice(block.BodyStart, block.BodyLength), block, source, variable);
            }

            if (scan.Error is { } error)
            {
                Malformed(source, variable, scan.ErrorLine, error, "Repair or remove the damaged block (was the file cut or edited by hand?).");
            }

            found = scan.Blocks.Count > 0 || scan.Error is not null;
        }

        if (!found && _entries.Count == before)
        {
            throw new CertificateBundleException(source, variable, null,
                "no certificate: the content is neither PEM ('-----BEGIN CERTIFICATE-----') nor DER",
                "Point it at a CA bundle in PEM, DER or PKCS#7 form.");
        }

        return _entries.Count - before;
    }

    private void ReadBinary(ReadOnlyMemory<byte> data, string source, string? variable)
    {
        try
        {
            if (LooksLikeContentInfo(data))
            {
                ReadPkcs7(data, source, null);
            }
            else
            {
                AsnDecoder.ReadEncodedValue(data.Span, AsnEncodingRules.BER, out _, out _, out var consumed);
                if (consumed != data.Length)
                {
                    throw new AsnContentException($"{data.Length - consumed} bytes follow the certificate");
                }

                AddCertificate(data.ToArray(), source, null);
            }
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            Malformed(source, variable, null, $"the DER does not parse as a certificate or PKCS#7 bag ({ex.Message})",
                "Re-export the certificate (for example 'openssl x509 -in cert -outform PEM').");
        }
    }

    private void ReadPemBlock(ReadOnlySpan<byte> body, PemBlock block, string source, string? variable)
    {
        if (block.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
        {
            _diagnostics.Add(new BundleDiagnostic(BundleDiagnosticCode.PrivateKeyBlock, BundleDiagnosticSeverity.Warning, source, block.Line, null, null,
                $"{source} line {block.Line}: a '{block.Label}' block in a trust bundle was not loaded. A private key does not belong in a CA bundle that is shared with clients; remove it and treat the key as exposed."));
            return;
        }

        var kind = block.Label switch
        {
            "CERTIFICATE" or "X509 CERTIFICATE" => BlockKind.Certificate,
            "TRUSTED CERTIFICATE" => BlockKind.Trusted,
            "PKCS7" or "CMS" => BlockKind.Pkcs7,
            _ => BlockKind.Other,
        };
        if (kind == BlockKind.Other)
        {
            _diagnostics.Add(new BundleDiagnostic(BundleDiagnosticCode.SkippedBlock, BundleDiagnosticSeverity.Information, source, block.Line, null, null,
                $"{source} line {block.Line}: a '{block.Label}' block holds no certificate and was skipped."));
            return;
        }

        if (PemScanner.DecodeBody(body) is not { } der)
        {
            Malformed(source, variable, block.Line, $"bad base64 in the '{block.Label}' block", "Repair or remove the damaged block.");
            return;
        }

        try
        {
            switch (kind)
            {
                case BlockKind.Certificate:
                    AddCertificate(der, source, block.Line);
                    break;
                case BlockKind.Trusted:
                    ReadTrustedCertificate(der, source, block.Line);
                    break;
                default:
                    ReadPkcs7(der, source, block.Line);
                    break;
            }
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            Malformed(source, variable, block.Line, $"the '{block.Label}' block does not hold a valid {(kind == BlockKind.Pkcs7 ? "PKCS#7 bag" : "certificate")} ({ex.Message})",
                "Repair or remove the damaged block.");
        }
    }

    private void AddCertificate(byte[] der, string source, int? line)
    {
        var (facts, length) = CertificateParser.Parse(der);
        if (length != der.Length)
        {
            throw new AsnContentException($"{der.Length - length} bytes follow the certificate");
        }

        _certificatesSeen++;
        var entry = new CertificateEntry(der, facts, source, line);
        if (_byDer.TryGetValue(der, out var first))
        {
            _diagnostics.Add(new BundleDiagnostic(BundleDiagnosticCode.DuplicateCertificate, BundleDiagnosticSeverity.Information, source, line, first.SubjectName, entry.Sha256Hex,
                $"{source}{At(line)}: {first.SubjectName} is a duplicate of the certificate from {first.Source}{At(first.Line)}; it was loaded once."));
            return;
        }

        _byDer.Add(der, entry);
        _entries.Add(entry);
    }

    private void ReadTrustedCertificate(byte[] der, string source, int? line)
    {
        // OpenSSL's TRUSTED CERTIFICATE: a certificate followed by X509_CERT_AUX trust settings.
        AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.BER, out _, out _, out var consumed);
        var certificate = der.AsSpan(0, consumed).ToArray();
        var (facts, _) = CertificateParser.Parse(certificate);
        var entry = new CertificateEntry(certificate, facts, source, line);

        var trusted = new List<string>();
        var rejected = new List<string>();
        if (consumed < der.Length)
        {
            var aux = new AsnReader(der.AsMemory(consumed), AsnEncodingRules.BER);
            var sequence = aux.ReadSequence();
            aux.ThrowIfNotEmpty();
            if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var list = sequence.ReadSequence();
                while (list.HasData)
                {
                    trusted.Add(list.ReadObjectIdentifier());
                }
            }

            var rejectTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(rejectTag))
            {
                var list = sequence.ReadSequence(rejectTag);
                while (list.HasData)
                {
                    rejected.Add(list.ReadObjectIdentifier());
                }
            }
        }

        static bool ForServers(List<string> oids) => oids.Contains(Oids.ServerAuth) || oids.Contains(Oids.AnyExtendedKeyUsage);
        if (ForServers(rejected) || (trusted.Count > 0 && !ForServers(trusted)))
        {
            // Explicit distrust wins over any other copy of the same certificate.
            _rejected.Add(certificate);
            _diagnostics.Add(new BundleDiagnostic(BundleDiagnosticCode.OpenSslTrustSettings, BundleDiagnosticSeverity.Warning, source, line, entry.SubjectName, entry.Sha256Hex,
                $"{source}{At(line)}: the TRUSTED CERTIFICATE {entry.SubjectName} is not trusted for server authentication by its own OpenSSL trust settings, so it was not loaded."));
            return;
        }

        _diagnostics.Add(new BundleDiagnostic(BundleDiagnosticCode.OpenSslTrustSettings, BundleDiagnosticSeverity.Information, source, line, entry.SubjectName, entry.Sha256Hex,
            $"{source}{At(line)}: the TRUSTED CERTIFICATE {entry.SubjectName} was loaded; its OpenSSL trust settings allow server authentication."));
        AddCertificate(certificate, source, line);
    }

    private void ReadPkcs7(ReadOnlyMemory<byte> data, string source, int? line)
    {
        var reader = new AsnReader(data, AsnEncodingRules.BER);
        var contentInfo = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var contentType = contentInfo.ReadObjectIdentifier();
        if (contentType != Oids.Pkcs7SignedData)
        {
            throw new AsnContentException($"PKCS#7 content type {contentType} is not signedData");
        }

        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
        signedData.ReadInteger();
        signedData.ReadSetOf(skipSortOrderValidation: true);
        signedData.ReadSequence();
        var certificatesTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        var count = 0;
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(certificatesTag))
        {
            var certificates = signedData.ReadSetOf(skipSortOrderValidation: true, expectedTag: certificatesTag);
            while (certificates.HasData)
            {
                var tag = certificates.PeekTag();
                var encoded = certificates.ReadEncodedValue();
                if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    AddCertificate(encoded.ToArray(), source, line);
                    count++;
                }
                else
                {
                    _diagnostics.Add(new BundleDiagnostic(BundleDiagnosticCode.SkippedBlock, BundleDiagnosticSeverity.Information, source, line, null, null,
                        $"{source}{At(line)}: a PKCS#7 entry that is not an X.509 certificate (tag {tag}) was skipped."));
                }
            }
        }

        if (count == 0)
        {
            throw new AsnContentException("the PKCS#7 bag holds no certificate");
        }
    }

    private void Malformed(string source, string? variable, int? line, string reason, string fix)
    {
        if (!_options.SkipMalformedInput)
        {
            throw new CertificateBundleException(source, variable, line, reason, fix);
        }

        Skipped(source, line, reason);
    }

    private void Skipped(string source, int? line, string reason) =>
        _diagnostics.Add(new BundleDiagnostic(BundleDiagnosticCode.MalformedInputSkipped, BundleDiagnosticSeverity.Error, source, line, null, null,
            $"{source}{At(line)}: skipped: {reason}."));

    /// <summary>Reads a whole file into a pooled buffer (bundles are read often on rotation; no large-object-heap garbage).</summary>
    private static byte[] ReadAll(string path, long limit, out int length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = RandomAccess.GetLength(handle);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(size, 0), limit) + 1);
        length = 0;
        while (true)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
            if (read == 0)
            {
                return buffer;
            }

            length += read;
            if (length > limit)
            {
                // The caller refuses it; no need to read the rest.
                return buffer;
            }

            if (length == buffer.Length)
            {
                // The file grew since it was measured.
                var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
        }
    }

    private static CertificateBundleException NoCertificate(string path, string? variable) =>
        new(path, variable, null, "no certificate was found in it",
            "Point it at a CA bundle (PEM 'CERTIFICATE' blocks, DER, or PKCS#7).");

    private static string At(int? line) => line is int l ? $" line {l}" : string.Empty;

    private static bool LooksLikeContentInfo(ReadOnlyMemory<byte> data)
    {
        try
        {
            var sequence = new AsnReader(data, AsnEncodingRules.BER).ReadSequence();
            return sequence.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

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

    private enum BlockKind
    {
        Certificate,
        Trusted,
        Pkcs7,
        Other,
    }
}
