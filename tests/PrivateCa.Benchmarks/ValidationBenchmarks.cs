using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using PrivateCa.Bundle.Internal;
using PrivateCa.Trust.Internal;

namespace PrivateCa.Benchmarks;

/// <summary>
/// One server-certificate validation with a 145-anchor bundle (Debian's roots plus the private root): the PrivateCa
/// engine's handshake path beside a plain <see cref="X509ChainPolicy"/> holding all 145 anchors in CustomTrustStore.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private X509Certificate2 _leaf = null!;
    private X509Certificate2Collection _presented = null!;
    private X509Certificate2Collection _anchors = null!;
    private TrustEngine _engine = null!;
    private TrustEngine _strict = null!;
    private X509Chain _platformChain = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchPki.Ensure();
        _leaf = X509CertificateLoader.LoadCertificateFromFile(BenchPki.ServerCertificate);
        _presented = [BenchPki.LoadIntermediate()];
        _anchors = [];
        _anchors.ImportFromPemFile(BenchPki.MergedBundle);
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(BenchPki.MergedBundle);
        var snapshot = TrustSnapshot.Load(TrustSources.Resolve(options, _ => null), new BundleLoadOptions());
        _engine = new TrustEngine(options, () => snapshot);
        _strict = new TrustEngine(new PrivateCaTrustOptions { UseEnvironment = false, Profile = ValidationProfile.Strict }, () => snapshot);
        _platformChain = new X509Chain();
        _platformChain.ChainPolicy.ExtraStore.AddRange(_presented);
        if (!Engine() || !PlainPolicy() || !EngineHandshake() || !EngineStrict())
        {
            throw new InvalidOperationException("the benchmark chain does not validate");
        }
    }

    [Benchmark(Baseline = true, Description = "X509ChainPolicy, 145 anchors in CustomTrustStore")]
    public bool PlainPolicy()
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        chain.ChainPolicy.ExtraStore.AddRange(_presented);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        var trusted = chain.Build(_leaf);
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }

        return trusted;
    }

    [Benchmark(Description = "PrivateCa engine, chain not seen before (candidate anchors, one build, host name)")]
    public bool Engine()
    {
        using var evaluation = _engine.Evaluate(_leaf, _presented, BenchPki.Host, null, SslPolicyErrors.RemoteCertificateChainErrors, null);
        return evaluation.IsTrusted;
    }

    [Benchmark(Description = "PrivateCa handshake callback, chain seen before (verdict cache)")]
    public bool EngineHandshake() =>
        _engine.ValidateHandshake(BenchPki.Host, _leaf, _platformChain, SslPolicyErrors.RemoteCertificateChainErrors);

    [Benchmark(Description = "PrivateCa engine, Strict profile, chain not seen before")]
    public bool EngineStrict()
    {
        using var evaluation = _strict.Evaluate(_leaf, _presented, BenchPki.Host, null, SslPolicyErrors.RemoteCertificateChainErrors, null);
        return evaluation.IsTrusted;
    }
}
