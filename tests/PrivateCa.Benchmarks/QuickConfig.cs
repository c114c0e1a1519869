using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;

namespace PrivateCa.Benchmarks;

/// <summary>
/// Shorter iterations for the performance-story benchmarks, so the whole story runs in minutes on a quiet machine:
/// a mutator applied to every job of the class. With PRIVATECA_BENCH_DRY=1 in the environment of the command, one
/// cold iteration each: only to check that every case runs, never for figures.
/// </summary>
public class QuickConfig : ManualConfig
{
    public const string DryVariable = "PRIVATECA_BENCH_DRY";

    public QuickConfig()
    {
        AddJob(DryMutator ?? Job.Default.WithWarmupCount(3).WithIterationCount(12).WithIterationTime(TimeInterval.FromMilliseconds(250)).AsMutator());
    }

    /// <summary>With PRIVATECA_BENCH_DRY=1: one cold iteration, for every benchmark of the run (Program adds it globally).</summary>
    public static Job? DryMutator => Environment.GetEnvironmentVariable(DryVariable) == "1"
        ? Job.Default.WithStrategy(RunStrategy.ColdStart).WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(1).AsMutator()
        : null;
}
