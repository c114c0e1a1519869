using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using PrivateCa.Benchmarks;

// Run: dotnet run -c Release --project tests/PrivateCa.Benchmarks -- --filter '*'
// The merged 145-anchor bundle is made before the benchmark processes start, so their SSL_CERT_FILE can name it
// (.NET on Linux reads it for the system store at start-up).
BenchPki.Ensure();
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithEnvironmentVariable("SSL_CERT_FILE", BenchPki.MergedBundle))
    .AddColumn(StatisticColumn.Median)
    .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory)
    .HideColumns("Error", "StdDev", "RatioSD");
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
