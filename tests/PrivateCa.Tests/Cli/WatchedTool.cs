using System.Collections.Concurrent;
using System.Diagnostics;

namespace PrivateCa.Tests.Cli;

/// <summary>A long-running privateca process (merge --watch) whose output lines the test can wait for, and signal.</summary>
internal sealed class WatchedTool : IAsyncDisposable
{
    private readonly Process _process;

    public WatchedTool(params string[] arguments)
    {
        _process = Tool.Start(new Dictionary<string, string>(), arguments);
        _process.OutputDataReceived += (_, e) => Add(Output, e.Data);
        _process.ErrorDataReceived += (_, e) => Add(Error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public ConcurrentQueue<string> Output { get; } = new();

    public ConcurrentQueue<string> Error { get; } = new();

    public int ExitCode => _process.ExitCode;

    /// <summary>Polls <paramref name="condition"/> until it holds, for at most <paramref name="seconds"/>; false when it never did.</summary>
    public static async Task<bool> Eventually(Func<bool> condition, double seconds = 10)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Sends SIGTERM, as the kubelet does when the pod stops, and waits for the exit.</summary>
    public async Task TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public override string ToString() => string.Join('\n', Output.Concat(Error));

    private static void Add(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
