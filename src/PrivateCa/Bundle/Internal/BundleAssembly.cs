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
    /// Findings recorded while reading, at most, for each of two kinds: information, and warnings or errors (so a file of
    /// empty blocks cannot push a private-key warning out). A 16 MiB file of empty 'X' blocks would otherwise make half a
    /// million of them (hundreds of megabytes of text, and as many start-up log lines). One last diagnostic counts the rest.
    /// Findings made outside the files (an environment variable not used) are few and always kept.
    /// </summary>
    public const int MaxLoadDiagnostics = 1000;

    private readonly BundleLoadOptions _options;
    private readonly List<CertificateEntry> _entries = [];
    private readonly Dictionary<ReadOnlyMemory<byte>, CertificateEntry> _byDer = new(ByteSequenceComparer.Instance);
    private readonly HashSet<ReadOnlyMemory<byte>> _rejected = new(ByteSequenceComparer.Instance);
    private readonly List<BundleSource> _sources = [];
    private readonly List<BundleDiagnostic> _diagnostics = [];
    private readonly HashSet<string> _leftOutSources = new(StringComparer.Ordinal);
    private int _information;
    private int _warnings;
    private int _informationLeftOut;
    private int _warningsLeftOut;

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
        var warning = diagnostic.Severity >= BundleDiagnosticSeverity.Warning;
        if ((warning ? ++_warnings : ++_information) <= MaxLoadDiagnostics)
        {
            _diagnostics.Add(diagnostic);
            return;
        }

        if (warning)
        {
            _warningsLeftOut++;
        }
        else
        {
            _informationLeftOut++;
        }

        if (_leftOutSources.Count < 2)
        {
            _leftOutSources.Add(diagnostic.Source);
        }
    }

    /// <summary>A finding made outside the files (there are at most a few): never left out.</summary>
    public void DiagnoseAlways(BundleDiagnostic diagnostic) => _diagnostics.Add(diagnostic);

    /// <summary>A certificate its own trust settings distrust: never loaded, whatever other copy there is.</summary>
    public void Distrust(byte[] der) => _rejected.Add(der);

    public CertificateBundle Build(bool extendsSystemTrust)
    {
        var entries = _rejected.Count == 0 ? _entries : [.. _entries.Where(e => !_rejected.Contains(e.Der))];
        var diagnostics = _warningsLeftOut + _informationLeftOut == 0 ? _diagnostics : [.. _diagnostics, LeftOut()];
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

    private BundleDiagnostic LeftOut()
    {
        var where = _leftOutSources.Count == 1 ? _leftOutSources.First() : "several sources";
        var kinds = (_warningsLeftOut, _informationLeftOut) switch
        {
            (0, var i) => $"{i:N0} more information findings",
            (var w, 0) => $"{w:N0} more warnings or errors",
            var (w, i) => $"{w:N0} more warnings or errors and {i:N0} more information findings",
        };
        return new BundleDiagnostic(BundleDiagnosticCode.DiagnosticsLeftOut, BundleDiagnosticSeverity.Warning, _leftOutSources.First(), null, null, null,
            $"{where}: {kinds} were found while reading and left out after the first {MaxLoadDiagnostics:N0} of each kind: the input is unusually noisy (thousands of skipped, duplicate or damaged blocks); check that it is the CA bundle you meant.");
    }
}
