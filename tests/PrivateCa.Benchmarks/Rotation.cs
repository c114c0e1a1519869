using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using PrivateCa.Integration.Internal;

namespace PrivateCa.Benchmarks;

/// <summary>
/// Requests per second from 64 concurrent callers (one HttpClient from IHttpClientFactory with AddPrivateCaTrust, each
/// request a new TLS connection, so each is judged against the snapshot in force) in alternating phases: the bundle
/// untouched, then the bundle file atomically replaced every second and the reload the watcher would schedule applied
/// at once. Every request must succeed in both.
/// </summary>
public static class Rotation
{
    private const int Callers = 64;

    public static async Task<int> RunAsync(int phaseSeconds, int rounds, string output)
    {
        var (server, port) = await BenchServer.StartAsync();
        await using var _ = server;
        var url = new Uri($"https://{BenchPki.Host}:{port}/");
        var folder = Directory.CreateTempSubdirectory("privateca-rotation-");
        try
        {
            // Two versions that both trust the server: the merged bundle, and the same plus one more root.
            var merged = await File.ReadAllTextAsync(BenchPki.MergedBundle);
            ScalePki.Ensure();
            var extra = (await File.ReadAllTextAsync(ScalePki.Bundle(100))).Split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n";
            string[] versions = [merged, merged + extra];
            var bundle = Path.Combine(folder.FullName, "ca-bundle.pem");
            await File.WriteAllTextAsync(bundle, versions[0]);

            var services = new ServiceCollection();
            services.AddLogging();
            services.AddMetrics();
            services.AddHttpClient("model").AddPrivateCaTrust(o =>
            {
                o.UseEnvironment = false;
                o.BundlePaths.Add(bundle);
            });
            services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b =>
            {
                var sockets = BenchClients.Loopback((SocketsHttpHandler)b.PrimaryHandler);
                sockets.PooledConnectionLifetime = TimeSpan.Zero;
            }));
            await using var provider = services.BuildServiceProvider();
            using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("model");
            await BenchClients.WarmAsync(client, url);
            var source = provider.GetRequiredService<TrustSourceCache>().Sources.Single();

            long completed = 0;
            long failed = 0;
            using var stop = new CancellationTokenSource();
            var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await client.GetStringAsync(url, CancellationToken.None);
                        Interlocked.Increment(ref completed);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            })).ToArray();

            // Warm-up second, not counted.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var steady = new List<double>();
            var rotating = new List<double>();
            var applied = 0;
            var version = 0;
            Interlocked.Exchange(ref completed, 0);
            for (var round = 0; round < rounds; round++)
            {
                foreach (var swapping in new[] { false, true })
                {
                    for (var second = 0; second < phaseSeconds; second++)
                    {
                        var start = System.Diagnostics.Stopwatch.GetTimestamp();
                        if (swapping)
                        {
                            // Atomic replace, then the reload the watcher would schedule (it may already have run).
                            var before = source.Current;
                            version = 1 - version;
                            await File.WriteAllTextAsync(bundle + ".tmp", versions[version]);
                            File.Move(bundle + ".tmp", bundle, overwrite: true);
                            source.TryReload();
                            applied += ReferenceEquals(source.Current, before) ? 0 : 1;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1) - System.Diagnostics.Stopwatch.GetElapsedTime(start));
                        var count = Interlocked.Exchange(ref completed, 0);
                        (swapping ? rotating : steady).Add(count / System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
                    }
                }
            }

            await stop.CancelAsync();
            await Task.WhenAll(callers);

            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"{Callers} concurrent callers, each request a new TLS connection; {rounds} rounds of {phaseSeconds} s without swaps then {phaseSeconds} s with a swap every second; requests/s per one-second window:");
            text.AppendLine();
            text.AppendLine("| phase | seconds | median req/s | lowest second | highest second | new snapshots swapped in |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            text.AppendLine(Row("bundle untouched", steady, 0));
            text.AppendLine(Row("bundle swapped every second", rotating, applied));
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Requests failed: {Interlocked.Read(ref failed)} (every request must succeed: both versions of the bundle trust the server). Median with swaps / without: {Stats.Median(rotating) / Stats.Median(steady):0.000}.");
            await File.WriteAllTextAsync(output, text.ToString());
            Console.Write(text);
            return Interlocked.Read(ref failed) == 0 ? 0 : 1;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Row(string name, List<double> perSecond, int swaps) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {perSecond.Count} | {Stats.Median(perSecond):0} | {perSecond.Min():0} | {perSecond.Max():0} | {swaps} |");

}
