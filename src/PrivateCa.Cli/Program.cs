using System.CommandLine;
using PrivateCa.Cli;

var json = new Option<bool>("--json") { Description = "Write one JSON document instead of text." };
var root = new RootCommand("privateca: inspect CA bundles, verify chains, probe HTTPS servers and merge bundles with PrivateCa's trust engine.")
{
    InspectCommand.Create(json),
    VerifyCommand.Create(json),
    ProbeCommand.Create(json),
    MergeCommand.Create(json),
};
return await root.Parse(args).InvokeAsync();
