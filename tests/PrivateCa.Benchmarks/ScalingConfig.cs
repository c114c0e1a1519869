using System.Globalization;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;

namespace PrivateCa.Benchmarks;

/// <summary>
/// One job per bundle size, each process started with SSL_CERT_FILE naming that bundle (so .NET's default trust holds
/// the same anchors as the other two clients) and PRIVATECA_BENCH_ANCHORS saying which size it is; a filter keeps only
/// the cases whose Anchors parameter matches their job, so the table has one row per (client, size).
/// </summary>
public sealed class ScalingConfig : QuickConfig
{
    public const string AnchorsVariable = "PRIVATECA_BENCH_ANCHORS";

    public ScalingConfig()
    {
        ScalePki.Ensure();
        foreach (var anchors in ScalePki.Sizes)
        {
            var n = anchors.ToString(CultureInfo.InvariantCulture);
            AddJob(Job.Default
                .WithEnvironmentVariable("SSL_CERT_FILE", ScalePki.Bundle(anchors))
                .WithEnvironmentVariable(AnchorsVariable, n)
                .WithId("anchors-" + n));
        }

        AddFilter(new SimpleFilter(c =>
            c.Job.Environment.EnvironmentVariables?.Any(v => v.Key == AnchorsVariable && v.Value == Convert.ToString(c.Parameters["Anchors"], CultureInfo.InvariantCulture)) == true));
    }
}
