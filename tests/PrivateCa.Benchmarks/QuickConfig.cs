using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;

namespace PrivateCa.Benchmarks;

/// <summary>
/// Shorter iterations for the performance-story benchmarks, so the whole story runs in minutes on a quiet machine:
/// a mutator applied to every job of the class (and, with PRIVATECA_BENCH_QUICK=1, to every benchmark of the run).
/// With PRIVATECA_BENCH_DRY=1, one cold iteration each instead: only to check that every case runs, never for figures.
/// </summary>
public class QuickConfig : ManualConfig
{
    public const string DryVariable = "PRIVATECA_BENCH_DRY";
    public const string QuickVariable = "PRIVATECA_BENCH_QUICK";

    public QuickConfig()
    {
        AddJob(Mutator);
    }

    /// <summary>3 warm-up and 12 measured iterations of 250 ms; with PRIVATECA_BENCH_DRY=1, one cold iteration.</summary>
    public static Job Mutator => Environment.GetEnvironmentVariable(DryVariable) == "1"
        ? Job.Default.WithStrategy(RunStrategy.ColdStart).WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(1).AsMutator()
        : Job.Default.WithWarmupCount(3).WithIterationCount(12).WithIterationTime(TimeInterval.FromMilliseconds(250)).AsMutator();

    /// <summary>Whether Program applies <see cref="Mutator"/> to every benchmark of the run.</summary>
    public static bool AppliesToAll =>
        Environment.GetEnvironmentVariable(DryVariable) == "1" || Environment.GetEnvironmentVariable(QuickVariable) == "1";
}
