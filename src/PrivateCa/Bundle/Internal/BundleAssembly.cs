using System.Formats.Asn1;
using PrivateCa.X509.Internal;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// Assembles decoded certificates into a bundle: de-duplication by DER, explicit distrust (which wins over any other copy),
/// diagnostics, the sources read, and the one policy for malformed input (strict: throw; lenient: skip and report).
/// </summary>
internal sealed class BundleAssembly
{
    /// <summary>
    /// Diagnostics recorded while reading, at most: a 16 MiB file of empty 'X' blocks would otherwise make half a million
    /// of them (hundreds of megabytes of text, and as many start-up log lines). The rest are counted in one last diagnostic.
    /// </summary>
    public const int MaxLoadDiagnostics = 1000;

    private readonly BundleLoadOptions _options;
    private readonly List<CertificateEntry> _entries = [];
    private readonly Dictionary<ReadOnlyMemory<byte>, CertificateEntry> _byDer = new(ByteSequenceComparer.Instance);
    private readonly HashSet<ReadOnlyMemory<byte>> _rejected = new(ByteSequenceComparer.Instance);
    private readonly List<BundleSource> _sources = [];
    private readonly List<BundleDiagnostic> _diagnostics = [];
    private int _diagnosticsLeftOut;
    private string? _firstLeftOutSource;

    public BundleAssembly(BundleLoadOptions options) => _options = options;

    /// <summary>Certificates decoded so far, duplicates included: "no certificate in it" is judged by this.</summary>
    public int CertificatesSeen { get; private set; }

    /// <summary>Distinct certificates kept so far.</summary>
    public int EntryCount => _entries.Count;

    /// <summary>Whether damaged input in a directory or block is skipped with a diagnostic rather than thrown.</summary>
    public bool SkipsMalformedInput => _options.SkipMalformedInput;

    public void AddSource(BundleSource source) => _sources.Add(source);

    public void Diagnose(BundleDiagnostic diagnostic)
    {
        if (_diagnostics.Count < MaxLoadDiagnostics)
        {
            _diagnostics.Add(diagnostic);
        }
        else
        {
            _firstLeftOutSource ??= diagnostic.Source;
            _diagnosticsLeftOut++;
        }
    }

    /// <summary>A certificate its own trust settings distrust: never loaded, whatever other copy there is.</summary>
    public void Distrust(byte[] der) => _rejected.Add(der);

    public CertificateBundle Build(bool extendsSystemTrust)
    {
        var entries = _rejected.Count == 0 ? _entries : [.. _entries.Where(e => !_rejected.Contains(e.Der))];
        var diagnostics = _diagnosticsLeftOut == 0 ? _diagnostics :
        [
            .. _diagnostics,
            new BundleDiagnostic(BundleDiagnosticCode.DiagnosticsLeftOut, BundleDiagnosticSeverity.Warning, _firstLeftOutSource!, null, null, null,
                $"{_firstLeftOutSource}: {_diagnosticsLeftOut:N0} more findings while reading were left out after the first {MaxLoadDiagnostics:N0}: the input is unusually noisy (thousands of skipped, duplicate or damaged blocks); check that it is the CA bundle you meant."),
        ];
        return new CertificateBundle([.. entries], [.. _sources], [.. diagnostics], _options.TimeProvider.GetUtcNow(), extendsSystemTrust);
    }

    public void AddCertificate(byte[] der, string source, int? line)
    {
        var (facts, length) = CertificateParser.Parse(der);
        if (length != der.Length)
        {
            throw new AsnContentException($"{der.Length - length} bytes follow the certificate");
        }

        CertificatesSeen++;
        var entry = new CertificateEntry(der, facts, source, line);
        if (_byDer.TryGetValue(der, out var first))
        {
            Diagnose(new BundleDiagnostic(BundleDiagnosticCode.DuplicateCertificate, BundleDiagnosticSeverity.Information, source, line, first.SubjectName, entry.Sha256Hex,
                $"{source}{At(line)}: {first.SubjectText} is a duplicate of the certificate from {first.Source}{At(first.Line)}; it was loaded once."));
            return;
        }

        _byDer.Add(der, entry);
        _entries.Add(entry);
    }

    /// <summary>The one lenient-vs-strict policy: damaged input is an error, or, with <see cref="BundleLoadOptions.SkipMalformedInput"/>, a diagnostic.</summary>
    public void Malformed(string source, string? variable, int? line, string reason, string fix)
    {
        if (!_options.SkipMalformedInput)
        {
            throw new CertificateBundleException(source, variable, line, reason, fix);
        }

        Skipped(source, line, reason);
    }

    public void Skipped(string source, int? line, string reason) =>
        Diagnose(new BundleDiagnostic(BundleDiagnosticCode.MalformedInputSkipped, BundleDiagnosticSeverity.Error, source, line, null, null,
            $"{source}{At(line)}: skipped: {reason}."));

    public static CertificateBundleException NoCertificate(string path, string? variable) =>
        new(path, variable, null, "no certificate was found in it",
            "Point it at a CA bundle (PEM 'CERTIFICATE' blocks, DER, or PKCS#7).");

    public static string At(int? line) => line is int l ? $" line {l}" : string.Empty;
}
