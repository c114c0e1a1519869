using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using PrivateCa.Benchmarks;

// Benchmarks:  dotnet run -c Release --project tests/PrivateCa.Benchmarks -- --filter '*'
// Peers:       bash tests/PrivateCa.Benchmarks/peers/compare.sh  (uses the 'serve', 'connect' and 'pki' modes below)
// Story:       bash tests/PrivateCa.Benchmarks/perf-story.sh     (scaling, breakdown, resumption, rotation → docs/BENCHMARKS.md)
// Commits:     bash tests/PrivateCa.Benchmarks/compare-commits.sh BASE_REV
BenchPki.Ensure();
switch (args.FirstOrDefault())
{
    case "breakdown":
        return await Breakdown.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
    case "rotation":
        return await Rotation.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
    case "load-fresh":
        return await FreshLoad.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
    case "load-once":
        return FreshLoad.Once(args[1], args[2]);
    case "scale-pki":
        ScalePki.Ensure();
        return 0;
    case "report":
        return Report.Run(args[1], args[2], args[3]);
    case "serve":
        return await PeerModes.ServeAsync();
    case "connect":
        return await PeerModes.ConnectAsync(args[1], new Uri(args[2]), double.Parse(args[3], CultureInfo.InvariantCulture));
    case "pki":
        Console.WriteLine(BenchPki.MergedBundle);
        return 0;
}

// The merged 145-anchor bundle is made before the benchmark processes start, so their SSL_CERT_FILE can name it
// (.NET on Linux reads it for the system store at start-up).
// A job named on the command line (--job dry, --job short) replaces the default one instead of running beside it,
// and gets the variable through --envVars.
var config = DefaultConfig.Instance
    .AddColumn(StatisticColumn.Median)
    .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory)
    .HideColumns("Error", "StdDev", "RatioSD");
if (args.Any(a => a is "--job" or "-j"))
{
    args = [.. args, "--envVars", "SSL_CERT_FILE:" + BenchPki.MergedBundle];
}
else
{
    config = config.AddJob(Job.Default.WithEnvironmentVariable("SSL_CERT_FILE", BenchPki.MergedBundle));
}

if (QuickConfig.AppliesToAll)
{
    config = config.AddJob(QuickConfig.Mutator);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
