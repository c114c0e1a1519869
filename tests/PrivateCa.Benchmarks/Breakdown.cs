using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PrivateCa.Benchmarks;

/// <summary>
/// Where a new connection's time goes: clock marks taken through the handler's public hooks on each of many
/// sequential new connections (ConnectCallback, a timing stream under TLS, the certificate validation callback,
/// PlaintextStreamFilter), medians per phase, for .NET's default trust, a plain CustomTrustStore policy and
/// PrivateCa, with full and resumed handshakes. Beside them, the two pieces of validation work measured alone.
/// </summary>
public static class Breakdown
{
    private static readonly string[] Phases =
    [
        "HttpClient/SocketsHttpHandler until the connect callback",
        "TCP connect (loopback)",
        "TLS: ClientHello sent → server's flight read (server's work)",
        "TLS: flight read → validation callback (decrypt, parse, the platform's own chain build in SslStream)",
        "validation callback (PrivateCa's engine; the default: none)",
        "TLS: callback → handshake complete",
        "HTTP/1.1 request and response on the new connection",
    ];

    public static async Task<int> RunAsync(int connections, string output)
    {
        var (server, port) = await BenchServer.StartAsync();
        await using var _ = server;
        var url = new Uri($"https://{BenchPki.Host}:{port}/");
        var variants = new (string Name, string Trust, bool Resume)[]
        {
            (".NET default, full", BenchClients.System, false),
            (".NET default, resumed", BenchClients.System, true),
            ("CustomTrustStore (145), full", BenchClients.CustomTrustStore, false),
            ("PrivateCa (145), full", BenchClients.PrivateCa, false),
            ("PrivateCa (145), resumed", BenchClients.PrivateCa, true),
        };

        var results = new List<(string Name, double[] Phases, double Total, double Bytes)>();
        foreach (var (name, trust, resume) in variants)
        {
            var marks = await MeasureAsync(trust, resume, url, connections);
            var phases = new double[Phases.Length];
            for (var p = 0; p < phases.Length; p++)
            {
                phases[p] = Stats.Median(marks.Select(m => Micros(m.Points[p], m.Points[p + 1])));
            }

            results.Add((name, phases, Stats.Median(marks.Select(m => Micros(m.Points[0], m.Points[^1]))), Stats.Median(marks.Select(m => (double)m.BytesBeforeCallback))));
            Console.Error.WriteLine($"breakdown: {name} done");
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Median µs per phase over {connections} sequential new connections each (after 50 to warm up), one process, server and client sharing the cores:");
        text.AppendLine();
        text.AppendLine("| phase | " + string.Join(" | ", results.Select(r => r.Name)) + " |");
        text.AppendLine("|---|" + string.Concat(results.Select(_ => "---:|")));
        for (var p = 0; p < Phases.Length; p++)
        {
            text.AppendLine($"| {Phases[p]} | " + string.Join(" | ", results.Select(r => Format(r.Phases[p]))) + " |");
        }

        text.AppendLine("| **whole request (median)** | " + string.Join(" | ", results.Select(r => $"**{Format(r.Total)}**")) + " |");
        text.AppendLine("| new connections/s (10⁶ / median) | " + string.Join(" | ", results.Select(r => (1e6 / r.Total).ToString("0", CultureInfo.InvariantCulture))) + " |");
        text.AppendLine("| bytes from the server before the callback | " + string.Join(" | ", results.Select(r => r.Bytes.ToString("0", CultureInfo.InvariantCulture))) + " |");
        text.AppendLine();
        text.AppendLine("The same validation work measured alone (median µs over 500 runs, 145-certificate bundle):");
        text.AppendLine();
        text.AppendLine("| work | µs |");
        text.AppendLine("|---|---:|");
        foreach (var (name, micros) in Alone())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Format(micros)} |");
        }

        await File.WriteAllTextAsync(output, text.ToString());
        Console.Write(text);
        return 0;
    }

    private static async Task<List<Marks>> MeasureAsync(string trust, bool resume, Uri url, int connections)
    {
        var handler = BenchClients.Create(trust, BenchPki.MergedBundle);
        handler.SslOptions.AllowTlsResume = resume;
        Marks? current = null;
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            current!.Points[1] = Stopwatch.GetTimestamp();
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
            current.Points[2] = Stopwatch.GetTimestamp();
            current.Stream = new TimedStream(new NetworkStream(socket, ownsSocket: true));
            return current.Stream;
        };
        var validate = handler.SslOptions.RemoteCertificateValidationCallback;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            var marks = current!;
            marks.Points[4] = Stopwatch.GetTimestamp();
            marks.Points[3] = marks.Stream!.LastReadTimestamp;
            marks.BytesBeforeCallback = marks.Stream.BytesRead;
            try
            {
                // Without PrivateCa the platform's verdict stands, exactly as when no callback is set.
                return validate is null ? errors == SslPolicyErrors.None : validate(sender, certificate, chain, errors);
            }
            finally
            {
                marks.Points[5] = Stopwatch.GetTimestamp();
            }
        };
        handler.PlaintextStreamFilter = (context, _) =>
        {
            current!.Points[6] = Stopwatch.GetTimestamp();
            return ValueTask.FromResult(context.PlaintextStream);
        };

        using var client = BenchClients.NewConnectionEachRequest(handler);
        var all = new List<Marks>(connections);
        for (var i = 0; i < 50 + connections; i++)
        {
            current = new Marks();
            current.Points[0] = Stopwatch.GetTimestamp();
            await client.GetStringAsync(url);
            current.Points[7] = Stopwatch.GetTimestamp();
            if (i >= 50)
            {
                all.Add(current);
            }
        }

        return all;
    }

    private static IEnumerable<(string Name, double Micros)> Alone()
    {
        var leaf = X509CertificateLoader.LoadCertificateFromFile(BenchPki.ServerCertificate);
        var intermediate = BenchPki.LoadIntermediate();
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(BenchPki.MergedBundle);

        // What SslStream builds before the callback, for each way of configuring it.
        yield return ("platform chain build, .NET default (system store from SSL_CERT_FILE)", Time(() => Build(leaf, intermediate, new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck })));
        var plain = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        plain.CustomTrustStore.AddRange(anchors);
        yield return ("platform chain build, CustomTrustStore with 145 anchors", Time(() => Build(leaf, intermediate, plain)));
        var options = new PrivateCaTrustOptions { UseEnvironment = false };
        options.BundlePaths.Add(BenchPki.MergedBundle);
        var handler = new TrustedHandlerFactory(options).CreateSocketsHttpHandler();
        if (handler.SslOptions.CertificateChainPolicy is { } policy)
        {
            yield return ("platform chain build, the policy PrivateCa's handler gives SslStream", Time(() => Build(leaf, intermediate, policy)));
        }

        var validator = new CustomRootTrustValidator(options);
        var presented = new X509Certificate2Collection(intermediate);
        yield return ("PrivateCa engine, chain not seen before (CustomRootTrustValidator.Validate)", Time(() => validator.Validate(leaf, presented, BenchPki.Host).IsTrusted));
    }

    private static bool Build(X509Certificate2 leaf, X509Certificate2 intermediate, X509ChainPolicy policy)
    {
        using var chain = new X509Chain { ChainPolicy = policy.Clone() };
        chain.ChainPolicy.ExtraStore.Add(intermediate);
        var built = chain.Build(leaf);
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }

        return built;
    }

    private static double Time(Func<bool> work)
    {
        for (var i = 0; i < 50; i++)
        {
            work();
        }

        var samples = new double[500];
        for (var i = 0; i < samples.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            work();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return Stats.Median(samples);
    }

    private static double Micros(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMicroseconds;


    private static string Format(double micros) => micros.ToString(micros < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);

    private sealed class Marks
    {
        /// <summary>Request start, connect callback, TCP connected, last read before the callback, callback start, callback end, TLS established, response read.</summary>
        public long[] Points { get; } = new long[8];

        public TimedStream? Stream { get; set; }

        public long BytesBeforeCallback { get; set; }
    }
}
