using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PrivateCa.Benchmarks;

/// <summary>
/// Bundles of 1, 100, 1,000 and 5,000 distinct CA roots for the scaling benchmarks: N − 1 generated ECDSA P-256
/// roots followed by the bench private root (the one that issued the server's chain), so every bundle trusts the
/// bench server and the right anchor is the last one. Generated once under the temp folder, then reused.
/// </summary>
public static class ScalePki
{
    public static readonly int[] Sizes = [1, 100, 1_000, 5_000];

    private static string Folder => Path.Combine(BenchPki.Folder, "scale");

    public static string Bundle(int anchors) => Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"anchors-{anchors}.pem"));

    /// <summary>Creates the bundles once (about 5,000 key pairs: a few seconds); later runs reuse them.</summary>
    public static void Ensure()
    {
        BenchPki.Ensure();
        if (Sizes.All(n => File.Exists(Bundle(n))))
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        var largest = Sizes.Max();
        var roots = new string[largest - 1];
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddYears(5);
        Parallel.For(0, roots.Length, i =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(
                string.Create(CultureInfo.InvariantCulture, $"CN=Scale Root CA {i + 1:D4}, O=Scale Bench {i % 97:D2}"), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using var root = request.CreateSelfSigned(notBefore, notAfter);
            roots[i] = root.ExportCertificatePem() + "\n";
        });

        var privateRoot = File.ReadAllText(BenchPki.PrivateBundle);
        foreach (var n in Sizes)
        {
            var text = new StringBuilder();
            for (var i = 0; i < n - 1; i++)
            {
                text.Append(roots[i]);
            }

            text.Append(privateRoot);
            var path = Bundle(n);
            File.WriteAllText(path + ".tmp", text.ToString());
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }
}
