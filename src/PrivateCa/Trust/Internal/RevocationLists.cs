using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PrivateCa.X509.Internal;

namespace PrivateCa.Trust.Internal;

/// <summary>
/// The CRLs named by <see cref="PrivateCaTrustOptions.RevocationListPaths"/>, read offline beside the bundle and replaced
/// with it. A CRL applies to a certificate of a chain when its issuer name is the certificate's issuer and the chain's
/// issuer certificate verifies its signature; a CRL whose issuer is in the bundle must verify at load. Never fetched.
/// </summary>
internal sealed class RevocationLists
{
    /// <summary>The largest CRL file read (a CRL of 100,000 entries is about 4 MiB).</summary>
    public const long MaxFileSize = 32 * 1024 * 1024;

    public static readonly RevocationLists None = new([]);

    // Which issuer keys verified which CRL: a verdict on a chain verifies each CRL once per issuer, not once per handshake.
    private readonly ConcurrentDictionary<(int List, string Issuer), bool> _verified = new();

    private RevocationLists(ImmutableArray<LoadedRevocationList> lists) => Lists = lists;

    public ImmutableArray<LoadedRevocationList> Lists { get; }

    public bool IsEmpty => Lists.IsEmpty;

    /// <summary>Reads every CRL the paths name (files, or the regular files of a folder); PEM 'X509 CRL' blocks or DER.</summary>
    /// <exception cref="CertificateBundleException">A path is missing or unreadable, a file holds no CRL or a malformed one, or a CRL
    /// does not verify against the bundle's CA of its issuer's name.</exception>
    public static RevocationLists Load(IReadOnlyList<string> paths, CertificateBundle bundle)
    {
        if (paths.Count == 0)
        {
            return None;
        }

        var lists = ImmutableArray.CreateBuilder<LoadedRevocationList>();
        foreach (var path in paths)
        {
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList()
                : [path];
            foreach (var file in files)
            {
                foreach (var list in Read(file))
                {
                    Verify(list, file, bundle);
                    lists.Add(new LoadedRevocationList(list, file));
                }
            }
        }

        return new RevocationLists(lists.ToImmutable());
    }

    /// <summary>The first revoked certificate of the chain (leaf first, anchor last) under a CRL its issuer signed; null when none is.</summary>
    public TrustProblem? FindRevoked(IReadOnlyList<X509Certificate2> chain)
    {
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            var certificate = chain[i];
            var issuer = chain[i + 1];
            for (var l = 0; l < Lists.Length; l++)
            {
                var loaded = Lists[l];
                if (!SameName(loaded.List.Issuer, certificate.IssuerName)
                    || !loaded.List.Entries.TryGetValue(certificate.SerialNumber, out var entry)
                    || !_verified.GetOrAdd((l, issuer.Thumbprint), _ => SignedBy(loaded.List, issuer)))
                {
                    continue;
                }

                var name = NameText.Name(CertificateText.SafeSubject(certificate));
                var role = i == 0 ? "the server certificate" : "the CA certificate";
                return new TrustProblem(TrustFailure.Revocation,
                    $"{role} '{name}' (serial {certificate.SerialNumber}) is revoked by the CRL {loaded.Source} of '{NameText.Name(loaded.List.Issuer.Name)}': {entry.ReasonText}, since {entry.RevokedAt:u}",
                    $"Replace '{name}' with a certificate that is not revoked; if the revocation is a mistake, reissue the CRL without it.");
            }
        }

        return null;
    }

    /// <summary>Whether both hold the same CRLs from the same files (a reload that changed neither swaps nothing in).</summary>
    public bool SameAs(RevocationLists other) =>
        Lists.Length == other.Lists.Length
        && Lists.Zip(other.Lists).All(p => p.First.Source == p.Second.Source && p.First.List.Encoded.AsSpan().SequenceEqual(p.Second.List.Encoded));

    /// <summary>CRLs past their nextUpdate at <paramref name="now"/>: still applied (a stale list is better than none), and reported.</summary>
    public IEnumerable<LoadedRevocationList> Stale(DateTimeOffset now) => Lists.Where(l => l.List.NextUpdate is { } next && next < now);

    /// <summary>The warning for a stale CRL, for the log, the health check and the tool.</summary>
    public static string StaleText(LoadedRevocationList stale) =>
        $"The CRL {NameText.Escape(stale.Source)} of '{NameText.Name(stale.List.Issuer.Name)}' is past its nextUpdate ({stale.List.NextUpdate:u}); its entries still apply. Publish a new CRL there.";

    /// <summary>Names compared as names, as OpenSSL does (RFC 5280 §7.1): the same bytes, or the same text ignoring case, so
    /// a CRL whose issuer is spelled as a UTF8String where the certificate has a PrintableString still applies.</summary>
    private static bool SameName(X500DistinguishedName a, X500DistinguishedName b) =>
        a.RawData.AsSpan().SequenceEqual(b.RawData)
        || string.Equals(a.Format(multiLine: false), b.Format(multiLine: false), StringComparison.OrdinalIgnoreCase);

    private static bool SignedBy(RevocationList list, X509Certificate2 issuer)
    {
        try
        {
            return list.IsSignedBy(issuer);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void Verify(RevocationList list, string file, CertificateBundle bundle)
    {
        if (AlgorithmPolicy.Signature(list.SignatureAlgorithm, list.SignatureParameters) is { } weak)
        {
            throw Failure(file, $"it is signed with {weak.Description}, which PrivateCa does not accept ({AlgorithmPolicy.AcceptedSignatures})");
        }

        // As OpenSSL: a CRL not yet issued by the clock is not used (5 minutes of skew allowed); nextUpdate before thisUpdate is malformed.
        if (list.ThisUpdate > DateTimeOffset.UtcNow.AddMinutes(5))
        {
            throw Failure(file, $"its thisUpdate ({list.ThisUpdate:u}) is in the future; check the clock of the CA that issued it, or of this machine");
        }

        if (list.NextUpdate is { } next && next < list.ThisUpdate)
        {
            throw Failure(file, $"its nextUpdate ({next:u}) is before its thisUpdate ({list.ThisUpdate:u})");
        }

        var issuers = bundle.Entries.Where(e => e.Facts.IsCertificateAuthority && SameName(list.Issuer, e.Certificate.SubjectName)).ToList();
        if (issuers.Count > 0 && !issuers.Exists(e => SignedBy(list, e.Certificate)))
        {
            throw Failure(file, $"its signature does not verify with the key of '{NameText.Name(list.Issuer.Name)}' in the bundle (it was altered, or another CA of that name signed it)");
        }
    }

    private static List<RevocationList> Read(string file)
    {
        byte[] bytes;
        try
        {
            // Measured at what a link leads to (Kubernetes mounts are links): a FIFO or device there shows as empty and is never opened.
            var info = new FileInfo(file);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
            {
                info = target;
            }

            if (!info.Exists)
            {
                throw Failure(file, "it does not exist");
            }

            if (info.Length == 0 || info.Length > MaxFileSize)
            {
                throw Failure(file, info.Length == 0 ? "it is empty (a pipe or device also shows as empty and is not read)" : $"it is {info.Length:N0} bytes, over the {MaxFileSize:N0}-byte limit");
            }

            bytes = File.ReadAllBytes(info.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure(file, $"it cannot be read ({ex.Message})");
        }

        var found = new List<RevocationList>();
        try
        {
            var text = Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                var rest = text.AsMemory();
                while (PemEncoding.TryFind(rest.Span, out var fields))
                {
                    if (rest.Span[fields.Label].SequenceEqual("X509 CRL"))
                    {
                        found.Add(RevocationList.Decode(Convert.FromBase64String(rest.Span[fields.Base64Data].ToString())));
                    }

                    rest = rest[fields.Location.End..];
                }
            }
            else
            {
                found.Add(RevocationList.Decode(bytes));
            }
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw Failure(file, ex.Message);
        }

        return found.Count > 0 ? found : throw Failure(file, "it holds no 'X509 CRL' block");
    }

    private static CertificateBundleException Failure(string file, string reason) =>
        new($"Cannot load the CRL '{NameText.Escape(file)}' (RevocationListPaths): {NameText.Escape(reason)}.");
}
