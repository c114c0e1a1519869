using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PrivateCa.Benchmarks;

/// <summary>
/// Turns one run of perf-story.sh into docs: BenchmarkDotNet's JSON results, the breakdown and rotation fragments and
/// the fresh-process load figures become tables and SVG plots, written between the &lt;!-- perf:NAME --&gt; and
/// &lt;!-- /perf:NAME --&gt; markers of docs/BENCHMARKS.md. A section with no data in this run is left as it was.
/// </summary>
public static class Report
{
    private static readonly string[] Trusts = ["DefaultTrust", "CustomTrustStore", "PrivateCa"];
    private static readonly Dictionary<string, string> TrustNames = new()
    {
        ["DefaultTrust"] = ".NET default trust",
        ["CustomTrustStore"] = "plain CustomTrustStore",
        ["PrivateCa"] = "PrivateCa",
    };

    public static int Run(string runFolder, string document, string plotFolder)
    {
        var results = LoadResults(Path.Combine(runFolder, "bdn", "results"));
        var sections = new Dictionary<string, string>();
        var plotLink = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(document))!, Path.GetFullPath(plotFolder));
        string Plot(string name, string svg)
        {
            File.WriteAllText(Path.Combine(plotFolder, name), svg);
            return $"![{name}]({(plotLink == "." ? name : $"{plotLink}/{name}")})";
        }

        if (results.FirstOrDefault() is { } any)
        {
            sections["environment"] = Environment(any.Host);
        }

        if (results.Where(r => r.Type == "ScalingBenchmarks").ToList() is { Count: > 0 } scaling)
        {
            sections["scaling-anchors"] = TrustTable(scaling, "Anchors", "anchors in the bundle") + "\n" + Plot("perf-scaling-anchors.svg", SvgChart.Render(
                "New TLS connections/s against bundle size", "anchors in the bundle (log)", "new connections/s (log)", xLog: true, yLog: true, Series(scaling, "Anchors")));
        }

        if (results.Where(r => r.Type == "ConcurrencyBenchmarks").ToList() is { Count: > 0 } concurrency)
        {
            sections["scaling-concurrency"] = TrustTable(concurrency, "Clients", "concurrent callers") + "\n" + Plot("perf-scaling-concurrency.svg", SvgChart.Render(
                "New TLS connections/s against concurrency (145 anchors)", "concurrent callers (log)", "new connections/s", xLog: true, yLog: false, Series(concurrency, "Clients")));
        }

        var fresh = Path.Combine(runFolder, "fresh-load.tsv");
        if (results.Where(r => r.Type == "BundleScalingBenchmarks").ToList() is { Count: > 0 } load)
        {
            sections["bundle-load"] = BundleLoad(load, File.Exists(fresh) ? File.ReadAllLines(fresh) : [], Plot);
        }

        if (results.Where(r => r.Type == "ResumptionBenchmarks").ToList() is { Count: > 0 } resumption)
        {
            sections["resumption"] = Simple(resumption, rate: true);
        }

        foreach (var (name, file) in new[] { ("breakdown", "breakdown.md"), ("rotation", "rotation.md") })
        {
            if (File.Exists(Path.Combine(runFolder, file)))
            {
                sections[name] = File.ReadAllText(Path.Combine(runFolder, file)).TrimEnd() + "\n";
            }
        }

        var mine = new HashSet<string> { "ScalingBenchmarks", "ConcurrencyBenchmarks", "BundleScalingBenchmarks", "ResumptionBenchmarks" };
        var others = results.Where(r => !mine.Contains(r.Type)).GroupBy(r => r.Type).ToList();
        if (others.Count > 0)
        {
            sections["other"] = string.Join("\n", others.Select(g => $"`{g.Key}`:\n\n{Simple(g.ToList(), rate: false)}"));
        }

        var text = File.ReadAllText(document);
        foreach (var (name, body) in sections)
        {
            var begin = $"<!-- perf:{name} -->";
            var end = $"<!-- /perf:{name} -->";
            var from = text.IndexOf(begin, StringComparison.Ordinal);
            var to = text.IndexOf(end, StringComparison.Ordinal);
            if (from < 0 || to < from)
            {
                Console.Error.WriteLine($"report: {document} has no {begin} … {end} section; '{name}' not written");
                continue;
            }

            text = string.Concat(text.AsSpan(0, from + begin.Length), "\n", body.TrimEnd() + "\n", text.AsSpan(to));
            Console.Error.WriteLine($"report: wrote section '{name}'");
        }

        File.WriteAllText(document, text);
        return 0;
    }

    private static List<Result> LoadResults(string folder)
    {
        var results = new List<Result>();
        if (!Directory.Exists(folder))
        {
            return results;
        }

        foreach (var file in Directory.GetFiles(folder, "*-report-full-compressed.json").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var host = json.RootElement.GetProperty("HostEnvironmentInfo").Clone();
            foreach (var benchmark in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var parameters = new Dictionary<string, string>();
                foreach (var pair in (benchmark.GetProperty("Parameters").GetString() ?? string.Empty).Split(['&', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var parts = pair.Split('=', 2);
                    parameters[parts[0]] = parts.Length > 1 ? parts[1] : string.Empty;
                }

                var allocated = benchmark.TryGetProperty("Memory", out var memory) && memory.ValueKind == JsonValueKind.Object
                    ? memory.GetProperty("BytesAllocatedPerOperation").GetDouble()
                    : double.NaN;
                results.Add(new Result(
                    benchmark.GetProperty("Type").GetString()!,
                    benchmark.GetProperty("Method").GetString()!,
                    benchmark.GetProperty("MethodTitle").GetString()!.Trim('\''),
                    parameters,
                    statistics.GetProperty("Median").GetDouble(),
                    allocated,
                    host));
            }
        }

        return results;
    }

    private static string Environment(JsonElement host)
    {
        string Get(string name) => host.TryGetProperty(name, out var value) ? value.ToString() : "?";
        return $"Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Get("ProcessorName")}, {Get("LogicalCoreCount")} logical cores, {Get("OsVersion")}, " +
               $"{Get("RuntimeVersion")}, BenchmarkDotNet {Get("BenchmarkDotNetVersion")}.\n";
    }

    /// <summary>Rows by parameter value, a column of connections/s per client, PrivateCa over .NET's default.</summary>
    private static string TrustTable(List<Result> results, string parameter, string heading)
    {
        var text = new StringBuilder();
        text.AppendLine($"| {heading} | " + string.Join(" | ", Trusts.Select(t => $"{TrustNames[t]} conn/s")) + " | PrivateCa / default | PrivateCa allocated |");
        text.AppendLine("|---:|" + string.Concat(Trusts.Select(_ => "---:|")) + "---:|---:|");
        foreach (var group in results.GroupBy(r => int.Parse(r.Parameters[parameter], CultureInfo.InvariantCulture)).OrderBy(g => g.Key))
        {
            var byTrust = group.ToDictionary(r => r.Method);
            string Rate(string trust) => byTrust.TryGetValue(trust, out var r) ? Invariant($"{1e9 / r.MedianNs:#,0.#}") : "–";
            var ratio = byTrust.TryGetValue("PrivateCa", out var p) && byTrust.TryGetValue("DefaultTrust", out var d) ? Invariant($"{d.MedianNs / p.MedianNs:0.00}×") : "–";
            var allocated = byTrust.TryGetValue("PrivateCa", out var q) ? Invariant($"{q.Allocated / 1024:0.0} KB") : "–";
            text.AppendLine(Invariant($"| {group.Key:N0} | ") + string.Join(" | ", Trusts.Select(Rate)) + $" | {ratio} | {allocated} |");
        }

        return text.ToString();
    }

    private static IReadOnlyList<SvgChart.Series> Series(List<Result> results, string parameter) =>
        [.. Trusts.Select(t => new SvgChart.Series(TrustNames[t], [.. results
            .Where(r => r.Method == t)
            .Select(r => (double.Parse(r.Parameters[parameter], CultureInfo.InvariantCulture), 1e9 / r.MedianNs))]))];

    private static string BundleLoad(List<Result> steady, string[] freshLines, Func<string, string, string> plot)
    {
        var fresh = freshLines.Where(l => !l.StartsWith('#') && l.Length > 0)
            .Select(l => l.Split('\t'))
            .ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture), f => (Import: double.Parse(f[1], CultureInfo.InvariantCulture), Load: double.Parse(f[2], CultureInfo.InvariantCulture)));
        var text = new StringBuilder();
        text.AppendLine("| anchors | steady: `ImportFromPemFile` ms | steady: `CertificateBundleLoader.Load` ms | steady ratio | fresh process: `ImportFromPemFile` ms | fresh process: `Load` ms |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|");
        var series = new List<(string Name, List<(double, double)> Points)>
        {
            ("ImportFromPemFile, steady", []), ("PrivateCa Load, steady", []), ("ImportFromPemFile, fresh", []), ("PrivateCa Load, fresh", []),
        };
        foreach (var group in steady.GroupBy(r => int.Parse(r.Parameters["Anchors"], CultureInfo.InvariantCulture)).OrderBy(g => g.Key))
        {
            var import = group.Single(r => r.Method == "ImportFromPemFile").MedianNs / 1e6;
            var load = group.Single(r => r.Method == "Load").MedianNs / 1e6;
            series[0].Points.Add((group.Key, import));
            series[1].Points.Add((group.Key, load));
            var coldText = "– | –";
            if (fresh.TryGetValue(group.Key, out var cold))
            {
                series[2].Points.Add((group.Key, cold.Import));
                series[3].Points.Add((group.Key, cold.Load));
                coldText = Invariant($"{cold.Import:0.00} | {cold.Load:0.00}");
            }

            text.AppendLine(Invariant($"| {group.Key:N0} | {import:0.000} | {load:0.000} | {load / import:0.00} | {coldText} |"));
        }

        text.AppendLine();
        text.AppendLine(plot("perf-bundle-load.svg", SvgChart.Render("Bundle load time against bundle size", "anchors in the bundle (log)", "ms (log)", xLog: true, yLog: true,
            [.. series.Where(s => s.Points.Count > 0).Select(s => new SvgChart.Series(s.Name, s.Points))])));
        return text.ToString();
    }

    private static string Simple(List<Result> results, bool rate)
    {
        var text = new StringBuilder();
        var parameters = results.SelectMany(r => r.Parameters.Keys).Distinct().ToList();
        text.AppendLine("| method | " + string.Concat(parameters.Select(p => $"{p} | ")) + "median | " + (rate ? "per second | " : string.Empty) + "allocated |");
        text.AppendLine("|---|" + string.Concat(parameters.Select(_ => "---:|")) + "---:|" + (rate ? "---:|" : string.Empty) + "---:|");
        foreach (var r in results)
        {
            text.AppendLine($"| {r.Title} | " + string.Concat(parameters.Select(p => $"{r.Parameters.GetValueOrDefault(p)} | ")) + Time(r.MedianNs) + " | " +
                            (rate ? Invariant($"{1e9 / r.MedianNs:#,0.#} | ") : string.Empty) + (double.IsNaN(r.Allocated) ? "–" : Invariant($"{r.Allocated / 1024:0.00} KB")) + " |");
        }

        return text.ToString();
    }

    private static string Time(double ns) => ns switch
    {
        < 1e3 => Invariant($"{ns:0.0} ns"),
        < 1e6 => Invariant($"{ns / 1e3:0.00} µs"),
        _ => Invariant($"{ns / 1e6:0.000} ms"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Result(string Type, string Method, string Title, Dictionary<string, string> Parameters, double MedianNs, double Allocated, JsonElement Host);
}
