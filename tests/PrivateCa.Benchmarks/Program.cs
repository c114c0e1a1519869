using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using PrivateCa.Benchmarks;

// Benchmarks:  dotnet run -c Release --project tests/PrivateCa.Benchmarks -- --filter '*'
// Peers:       bash tests/PrivateCa.Benchmarks/peers/compare.sh  (uses the 'serve', 'connect' and 'pki' modes below)
BenchPki.Ensure();
switch (args.FirstOrDefault())
{
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
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithEnvironmentVariable("SSL_CERT_FILE", BenchPki.MergedBundle))
    .AddColumn(StatisticColumn.Median)
    .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory)
    .HideColumns("Error", "StdDev", "RatioSD");
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
