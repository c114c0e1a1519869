using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ModelClient;

/// <summary>A private CA made on the spot, as a company's PKI team would run one: root, issuing intermediate, server certificate.</summary>
public sealed class DemoPki
{
    private DemoPki(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 server)
    {
        Root = root;
        Intermediate = intermediate;
        Server = server;
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public X509Certificate2 Server { get; }

    public static DemoPki Create(string organisation)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest($"CN={organisation} Root CA, O={organisation}", rootKey, HashAlgorithmName.SHA256);
        AddCaExtensions(rootRequest, pathLength: 1);
        var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest($"CN={organisation} Issuing CA, O={organisation}", intermediateKey, HashAlgorithmName.SHA256);
        AddCaExtensions(intermediateRequest, pathLength: 0);
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediateCertificate = intermediateRequest.Create(root, now.AddMinutes(-5), now.AddYears(2), RandomNumberGenerator.GetBytes(16));
        var intermediate = intermediateCertificate.CopyWithPrivateKey(intermediateKey);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest($"CN=model.internal, O={organisation}", serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("model.internal");
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        using var serverCertificate = serverRequest.Create(intermediate, now.AddMinutes(-5), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        return new DemoPki(root, intermediate, serverCertificate.CopyWithPrivateKey(serverKey));
    }

    /// <summary>Writes the CA bundle a deployment would mount: the root only.</summary>
    public string WriteBundle(string folder)
    {
        var path = Path.Combine(folder, "private-ca.pem");
        File.WriteAllText(path, Root.ExportCertificatePem() + "\n");
        return path;
    }

    private static void AddCaExtensions(CertificateRequest request, int pathLength)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }
}
