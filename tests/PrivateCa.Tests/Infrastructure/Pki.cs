using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrivateCa.Tests.Infrastructure;

/// <summary>Builds CA chains in the test with <see cref="CertificateRequest"/>: roots, intermediates and server certificates with the defects a test needs.</summary>
internal static class Pki
{
    private static long _serial = DateTime.UtcNow.Ticks;

    public sealed record Spec
    {
        public bool IsCa { get; init; }

        public int? PathLength { get; init; }

        public bool BasicConstraints { get; init; } = true;

        public string[] DnsNames { get; init; } = [];

        public IPAddress[] IpAddresses { get; init; } = [];

        public string[]? Eku { get; init; }

        public X509KeyUsageFlags? KeyUsage { get; init; }

        public DateTimeOffset? NotBefore { get; init; }

        public DateTimeOffset? NotAfter { get; init; }

        public string? PermittedDnsSubtree { get; init; }

        public bool SanCritical { get; init; }

        /// <summary>The whole subject DN; empty for an empty subject. Default CN=name.</summary>
        public string? Subject { get; init; }

        public byte[]? Serial { get; init; }

        public Action<CertificateRequest>? Extra { get; init; }
    }

    public static X509Certificate2 Root(string name, Spec? spec = null) =>
        Issue(name, issuer: null, (spec ?? new Spec()) with { IsCa = true });

    public static X509Certificate2 Intermediate(string name, X509Certificate2 issuer, Spec? spec = null) =>
        Issue(name, issuer, (spec ?? new Spec()) with { IsCa = true });

    public static X509Certificate2 Server(X509Certificate2 issuer, params string[] dnsNames) =>
        Issue($"{(dnsNames.Length > 0 ? dnsNames[0] : "server")}", issuer, new Spec { DnsNames = dnsNames, Eku = ["1.3.6.1.5.5.7.3.1"] });

    public static X509Certificate2 Issue(string name, X509Certificate2? issuer, Spec spec)
    {
        using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(spec.Subject ?? $"CN={name}", ecKey, HashAlgorithmName.SHA256);
        if (spec.BasicConstraints)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(spec.IsCa, spec.PathLength is not null, spec.PathLength ?? 0, critical: true));
        }

        var usage = spec.KeyUsage ?? (spec.IsCa ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (issuer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        if (spec.DnsNames.Length > 0 || spec.IpAddresses.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in spec.DnsNames)
            {
                san.AddDnsName(dns);
            }

            foreach (var ip in spec.IpAddresses)
            {
                san.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(san.Build(spec.SanCritical));
        }

        if (spec.Eku is { } eku)
        {
            var oids = new OidCollection();
            foreach (var oid in eku)
            {
                oids.Add(new Oid(oid));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, critical: false));
        }

        if (spec.PermittedDnsSubtree is { } subtree)
        {
            request.CertificateExtensions.Add(new X509Extension("2.5.29.30", NameConstraintsPermittingDns(subtree), critical: true));
        }

        spec.Extra?.Invoke(request);
        var notBefore = spec.NotBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = spec.NotAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        using var issuerKey = issuer?.GetECDsaPrivateKey();
        var generator = X509SignatureGenerator.CreateForECDsa(issuer is null ? ecKey : issuerKey ?? throw new InvalidOperationException("issuer has no ECDsa key"));
        using var issued = request.Create(issuer?.SubjectName ?? request.SubjectName, generator, notBefore, notAfter, spec.Serial ?? NextSerial());
        return issued.CopyWithPrivateKey(ecKey);
    }

    private static byte[] NextSerial()
    {
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial));
        serial[^1] &= 0x7F;
        Array.Reverse(serial);
        return serial;
    }

    /// <summary>A name-constraints extension value permitting one DNS subtree.</summary>
    private static byte[] NameConstraintsPermittingDns(string subtree)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0)))
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, subtree, new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 2));
                }
            }
        }

        return writer.Encode();
    }

    public static string PemOf(params X509Certificate2[] certificates) => string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));

    public static string SpkiPin(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
