using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Benchmarks;

/// <summary>
/// A private CA (root, intermediate, server certificate for model.internal) made once per machine under the temp
/// folder, and a merged bundle of Debian's roots plus the private root (145 anchors). Generated, never committed.
/// </summary>
public static class BenchPki
{
    public const string Host = "model.internal";
    public const string DebianBundle = "/etc/ssl/certs/ca-certificates.crt";

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "privateca-bench-v2");

    public static string MergedBundle => Path.Combine(Folder, "merged-145.pem");

    public static string PrivateBundle => Path.Combine(Folder, "private-root.pem");

    public static string ServerCertificate => Path.Combine(Folder, "server.pem");

    public static string ServerKey => Path.Combine(Folder, "server.key");

    public static string Intermediate => Path.Combine(Folder, "intermediate.pem");

    /// <summary>Creates the files once; later runs reuse them.</summary>
    public static void Ensure()
    {
        if (File.Exists(MergedBundle) && File.Exists(ServerKey))
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Bench Private Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Bench Issuing CA", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediate = intermediateRequest.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(4), [1, 2, 3, 4]);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest($"CN={Host}", serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(Host);
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        using var intermediateWithKey = intermediate.CopyWithPrivateKey(intermediateKey);
        using var server = serverRequest.Create(intermediateWithKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(3), [5, 6, 7, 8]);

        File.WriteAllText(PrivateBundle, root.ExportCertificatePem() + "\n");
        File.WriteAllText(MergedBundle, File.ReadAllText(DebianBundle) + "\n" + root.ExportCertificatePem() + "\n");
        File.WriteAllText(Intermediate, intermediate.ExportCertificatePem() + "\n");
        File.WriteAllText(ServerCertificate, server.ExportCertificatePem() + "\n");
        File.WriteAllText(ServerKey, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
    }

    public static X509Certificate2 LoadServer() => X509Certificate2.CreateFromPemFile(ServerCertificate, ServerKey);

    public static X509Certificate2 LoadIntermediate() => X509CertificateLoader.LoadCertificateFromFile(Intermediate);
}
