using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PrivateCa.Cli;

/// <summary>
/// What <c>privateca merge</c> writes: the system's roots and/or the given bundles, one copy per SHA-256, ordered by
/// subject then fingerprint (so the output is byte-identical for the same input), each block preceded by comment
/// lines naming it with control characters escaped (a subject cannot start a line of its own).
/// </summary>
internal sealed class BundleMerge
{
    private BundleMerge(byte[] content, IReadOnlyList<string> fingerprints, int duplicatesDropped)
    {
        Content = content;
        Fingerprints = fingerprints;
        DuplicatesDropped = duplicatesDropped;
    }

    public byte[] Content { get; }

    /// <summary>The SHA-256 of every certificate written, in file order.</summary>
    public IReadOnlyList<string> Fingerprints { get; }

    public int DuplicatesDropped { get; }

    /// <summary>Reads the inputs now.</summary>
    /// <exception cref="CertificateBundleException">An input cannot be loaded.</exception>
    /// <exception cref="CryptographicException">The system store cannot be read.</exception>
    public static BundleMerge Read(bool system, IReadOnlyList<string> add)
    {
        var entries = new List<(byte[] Der, string Subject, string Sha256)>();
        var bundle = add.Count > 0 ? CertificateBundleLoader.Load(add) : null;

        // A certificate an added bundle explicitly distrusts (OpenSSL trust settings rejecting server authentication)
        // must not come back in through the system's copy: the merged file cannot carry the distrust.
        var distrusted = bundle?.Diagnostics
            .Where(d => d.Code == BundleDiagnosticCode.OpenSslTrustSettings && d.Severity == BundleDiagnosticSeverity.Warning && d.CertificateSha256 is not null)
            .Select(d => d.CertificateSha256!).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        if (system)
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            foreach (var certificate in store.Certificates)
            {
                var sha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256);
                if (!distrusted.Contains(sha256))
                {
                    entries.Add((certificate.RawData, certificate.Subject, sha256));
                }

                certificate.Dispose();
            }
        }

        if (bundle is not null)
        {
            foreach (var (certificate, origin) in bundle.Certificates.Zip(bundle.Origins))
            {
                entries.Add((certificate.RawData, origin.Subject, origin.Sha256));
                certificate.Dispose();
            }
        }

        var merged = entries.GroupBy(e => e.Sha256, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(e => e.Subject, StringComparer.Ordinal).ThenBy(e => e.Sha256, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        foreach (var (der, subject, sha256) in merged)
        {
            text.Append("# ").Append(Output.Escape(subject)).Append('\n')
                .Append("# SHA-256: ").Append(sha256).Append('\n')
                .Append(PemEncoding.WriteString("CERTIFICATE", der)).Append('\n');
        }

        return new BundleMerge(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString()), [.. merged.Select(e => e.Sha256)], entries.Count - merged.Count);
    }

    /// <summary>Writes the bundle atomically, after checking that the written file loads back to exactly <see cref="Fingerprints"/>.</summary>
    /// <exception cref="IOException">The file cannot be written, or it does not load back as written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public void WriteTo(string target) => AtomicFile.Write(target, Content, written =>
    {
        IReadOnlyList<string> loaded;
        try
        {
            loaded = [.. CertificateBundleLoader.Load(written).Origins.Select(o => o.Sha256)];
        }
        catch (CertificateBundleException ex)
        {
            throw new IOException($"the written file does not load back: {ex.Message}", ex);
        }

        if (!loaded.SequenceEqual(Fingerprints, StringComparer.Ordinal))
        {
            throw new IOException($"the written file loads back as {loaded.Count} certificate(s), not the {Fingerprints.Count} merged; nothing was replaced.");
        }
    });
}
