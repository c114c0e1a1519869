using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;

namespace PrivateCa.Benchmarks;

/// <summary>Loading a bundle of 1 to 5,000 distinct CA roots (<see cref="ScalePki"/>), steady state, beside the
/// platform's own PEM import. The fresh-process figures come from the 'load-fresh' mode.</summary>
[Config(typeof(QuickConfig))]
[MemoryDiagnoser]
public class BundleScalingBenchmarks
{
    private string _bundle = null!;

    [Params(1, 100, 1_000, 5_000)]
    public int Anchors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ScalePki.Ensure();
        _bundle = ScalePki.Bundle(Anchors);
    }

    [Benchmark(Baseline = true, Description = "X509Certificate2Collection.ImportFromPemFile")]
    public int ImportFromPemFile()
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(_bundle);
        var count = collection.Count;
        foreach (var certificate in collection)
        {
            certificate.Dispose();
        }

        return count;
    }

    [Benchmark(Description = "CertificateBundleLoader.Load")]
    public int Load() => CertificateBundleLoader.Load(_bundle).Count;
}
