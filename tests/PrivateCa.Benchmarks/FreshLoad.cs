using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PrivateCa.Benchmarks;

/// <summary>
/// Bundle load time in a fresh process: the first call pays for JIT and the crypto library's start-up as an
/// application does at start. Each measurement is its own child process ('load-once'); medians over several.
/// </summary>
public static class FreshLoad
{
    public static async Task<int> RunAsync(int runs, string output)
    {
        ScalePki.Ensure();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# anchors\timport ms\tload ms\t(median of {runs} processes each)");
        foreach (var anchors in ScalePki.Sizes)
        {
            var import = new List<double>();
            var load = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                import.Add(await ChildAsync("import", ScalePki.Bundle(anchors)));
                load.Add(await ChildAsync("load", ScalePki.Bundle(anchors)));
            }

            var (importMs, loadMs) = (Stats.Median(import), Stats.Median(load));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{anchors}\t{importMs:0.000}\t{loadMs:0.000}"));
        }

        await File.WriteAllTextAsync(output, text.ToString());
        Console.Write(text);
        return 0;
    }

    /// <summary>The child's side: one call, timed, printed in milliseconds.</summary>
    public static int Once(string method, string path)
    {
        var start = Stopwatch.GetTimestamp();
        int count;
        if (method == "load")
        {
            count = CertificateBundleLoader.Load(path).Count;
        }
        else
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            count = collection.Count;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0.000} {count}"));
        return 0;
    }

    private static async Task<double> ChildAsync(string method, string path)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (!Environment.ProcessPath!.EndsWith("PrivateCa.Benchmarks", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(FreshLoad).Assembly.Location);
        }

        foreach (var argument in new[] { "load-once", method, path })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"load-once {method} {path} exited with {process.ExitCode}");
        }

        return double.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture);
    }

}
