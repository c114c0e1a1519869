using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;

namespace PrivateCa.Benchmarks;

/// <summary>
/// Loading Debian's CA bundle to the point where the trust engine can use it (certificates parsed,
/// de-duplicated and indexed by subject and key identifier), beside the platform's own PEM import.
/// </summary>
[MemoryDiagnoser]
public class BundleLoadBenchmarks
{
    private const string DebianBundle = "/etc/ssl/certs/ca-certificates.crt";

    [Benchmark(Baseline = true, Description = "X509Certificate2Collection.ImportFromPemFile")]
    public int ImportFromPemFile()
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(DebianBundle);
        var count = collection.Count;
        foreach (var certificate in collection)
        {
            certificate.Dispose();
        }

        return count;
    }

    [Benchmark(Description = "CertificateBundleLoader.Load")]
    public int Load() => CertificateBundleLoader.Load(DebianBundle).Count;
}
