using System.Formats.Asn1;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using PrivateCa.Bundle.Internal;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Benchmarks;

/// <summary>
/// A rejected hostile chain, first sight: a self-signed attacker CA with 1,000 permitted DNS subtrees and a leaf with
/// 1,001 subjectAltNames (an 18 KB certificate message), judged under Platform and Strict with the 145-anchor bundle.
/// Strict's extra rules run only once a chain reaches an anchor, so it should cost what Platform costs.
/// </summary>
[MemoryDiagnoser]
public class HostileChainBenchmarks
{
    private const string Host = "n0.hostile.example";
    private X509Certificate2 _leaf = null!;
    private X509Certificate2Collection _presented = null!;
    private TrustEngine _platform = null!;
    private TrustEngine _strict = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchPki.Ensure();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Attacker CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509Extension("2.5.29.30", PermittedDns(1000), critical: true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={Host}", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        for (var i = 0; i <= 1000; i++)
        {
            san.AddDnsName($"n{i}.hostile.example");
        }

        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        _leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3, 4]);
        _presented = [X509CertificateLoader.LoadCertificate(ca.RawData)];
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(BenchPki.MergedBundle);
        var snapshot = TrustSnapshot.Load(TrustSources.Resolve(options, _ => null), new BundleLoadOptions());
        _platform = new TrustEngine(options, () => snapshot);
        _strict = new TrustEngine(new PrivateCaTrustOptions { UseEnvironment = false, Profile = ValidationProfile.Strict }, () => snapshot);
        if (Platform() || Strict())
        {
            throw new InvalidOperationException("the hostile chain was trusted");
        }
    }

    [Benchmark(Baseline = true, Description = "Platform profile, hostile untrusted chain")]
    public bool Platform()
    {
        using var evaluation = _platform.Evaluate(_leaf, _presented, Host, null, SslPolicyErrors.RemoteCertificateChainErrors, null);
        return evaluation.IsTrusted;
    }

    [Benchmark(Description = "Strict profile, hostile untrusted chain")]
    public bool Strict()
    {
        using var evaluation = _strict.Evaluate(_leaf, _presented, Host, null, SslPolicyErrors.RemoteCertificateChainErrors, null);
        return evaluation.IsTrusted;
    }

    private static byte[] PermittedDns(int count)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            for (var i = 0; i < count; i++)
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, $"s{i}.hostile.example", new Asn1Tag(TagClass.ContextSpecific, 2));
                }
            }
        }

        return writer.Encode();
    }
}
