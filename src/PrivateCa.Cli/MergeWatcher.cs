using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace PrivateCa.Cli;

/// <summary>
/// privateca merge --watch: a sidecar that keeps the merged file current. It watches the folder of every input
/// (which sees Kubernetes' atomic <c>..data</c> swap of a ConfigMap or Secret volume, an in-place rewrite, and a
/// file replaced by rename) and also re-reads everything every interval (for what no watcher reports: network file
/// systems, the system store). A change is merged and written atomically only when the result loads; a bad input is
/// logged and the last good output stays. SIGTERM and SIGINT end it with exit code 0.
/// </summary>
internal sealed class MergeWatcher : IDisposable
{
    /// <summary>A rotation touches several names (Kubernetes writes a new folder, a new link, then renames it); merge once.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    private readonly bool _system;
    private readonly IReadOnlyList<string> _add;
    private readonly string _target;
    private readonly TimeSpan _interval;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly Channel<string> _changes = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<FileSystemWatcher> _watchers = [];
    private byte[] _written;
    private string? _rejected;

    public MergeWatcher(bool system, IReadOnlyList<string> add, string target, TimeSpan interval, BundleMerge first, TextWriter output, TextWriter error, TimeProvider time)
    {
        (_system, _add, _target, _interval, _output, _error, _time) = (system, add, target, interval, output, error, time);
        _written = first.Content;
    }

    /// <summary>Runs until SIGTERM, SIGINT or <paramref name="cancellationToken"/>; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // exit through the normal path, with code 0
            stop.Cancel();
        }

        foreach (var (folder, names) in FoldersToWatch())
        {
            var watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
            void Changed(string? name)
            {
                // Only inputs and Kubernetes' "..data" links and folders count: never the output, its temporary
                // files or anything else in a shared folder (a log file there would otherwise wake us forever).
                if (name is not null && (names is null || names.Contains(name) || name.StartsWith("..", StringComparison.Ordinal))
                    && !name.StartsWith($".{Path.GetFileName(_target)}.", StringComparison.Ordinal) && Path.Combine(folder, name) != _target)
                {
                    _changes.Writer.TryWrite(name);
                }
            }

            watcher.Changed += (_, e) => Changed(e.Name);
            watcher.Created += (_, e) => Changed(e.Name);
            watcher.Deleted += (_, e) => Changed(e.Name);
            watcher.Renamed += (_, e) => Changed(e.Name);
            watcher.Error += (_, _) => _changes.Writer.TryWrite(string.Empty);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }

        Log(_output, $"watching {string.Join(", ", _watchers.Select(w => w.Path))}; re-reading every {_interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        using var timer = new PeriodicTimer(_interval, _time);
        var tick = timer.WaitForNextTickAsync(stop.Token).AsTask();
        try
        {
            while (true)
            {
                var change = _changes.Reader.WaitToReadAsync(stop.Token).AsTask();
                var first = await Task.WhenAny(change, tick);
                await first; // surfaces cancellation
                if (first == tick)
                {
                    tick = timer.WaitForNextTickAsync(stop.Token).AsTask();
                }
                else
                {
                    await Task.Delay(Settle, _time, stop.Token);
                    while (_changes.Reader.TryRead(out _))
                    {
                    }
                }

                Refresh(first == tick ? "periodic re-read" : "input changed");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Log(_output, "stopping");
            return ExitCodes.Ok;
        }
    }

    /// <summary>Merges again; writes only when the result differs from the last good output and loads.</summary>
    private void Refresh(string why)
    {
        BundleMerge merge;
        try
        {
            merge = BundleMerge.Read(_system, _add);
        }
        catch (Exception ex) when (ex is CertificateBundleException or CryptographicException)
        {
            // Said once per distinct problem, not on every re-read.
            if (ex.Message != _rejected)
            {
                _rejected = ex.Message;
                Log(_error, $"{why}, but the input was rejected; {_target} keeps the last good bundle: {ex.Message}");
            }

            return;
        }

        _rejected = null;
        if (merge.Content.AsSpan().SequenceEqual(_written))
        {
            return;
        }

        try
        {
            merge.WriteTo(_target);
            _written = merge.Content;
            Log(_output, $"{why}: wrote {merge.Fingerprints.Count} certificate(s) to {_target}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log(_error, $"cannot write '{_target}', it keeps the last good bundle: {ex.Message}");
        }
    }

    /// <summary>
    /// Each input folder (every name in it counts) and the folder of each input file or folder (only that name, and
    /// Kubernetes' <c>..</c> names, count), so a folder replaced by rename is seen too.
    /// </summary>
    private SortedDictionary<string, HashSet<string>?> FoldersToWatch()
    {
        var folders = new SortedDictionary<string, HashSet<string>?>(StringComparer.Ordinal);
        foreach (var path in _add.Select(Path.GetFullPath))
        {
            if (Directory.Exists(path))
            {
                folders[path] = null;
            }

            if (Path.GetDirectoryName(path) is { } parent && Directory.Exists(parent))
            {
                if (!folders.TryGetValue(parent, out var names))
                {
                    folders[parent] = names = new HashSet<string>(StringComparer.Ordinal);
                }

                names?.Add(Path.GetFileName(path));
            }
        }

        return folders;
    }

    private void Log(TextWriter writer, string message) =>
        writer.WriteLine($"privateca: {_time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} merge --watch: {Output.Escape(message)}");

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }
}
