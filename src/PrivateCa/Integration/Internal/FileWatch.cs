namespace PrivateCa.Integration.Internal;

/// <summary>
/// Calls back when something in the watched folders changes, debounced so a burst of writes is read once, and on a
/// periodic poll (events can be missed on some volumes). Watches the folder, not the file: a Kubernetes volume swaps its
/// '..data' link there, and editors and 'cp' replace files there. The folders can be changed while running.
/// </summary>
internal sealed class FileWatch : IDisposable
{
    /// <summary>How long after the last change event a reload waits, so a burst of writes is read once.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);

    /// <summary>How often the sources are re-read even without an event; also how soon a changed environment variable is seen.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    private readonly ITimer _debounce;
    private readonly ITimer _poll;
    private readonly Lock _gate = new();
    private List<FileSystemWatcher> _watchers = [];
    private IReadOnlyList<(string Folder, bool Recursive)> _folders = [];
    private bool _disposed;

    public FileWatch(TimeProvider time, Action changed)
    {
        _debounce = time.CreateTimer(_ => changed(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _poll = time.CreateTimer(_ => changed(), null, PollInterval, PollInterval);
    }

    /// <summary>Watches these folders (missing ones are skipped; the poll still covers them) instead of the previous ones.</summary>
    public void WatchFolders(IEnumerable<(string Folder, bool Recursive)> folders)
    {
        var wanted = folders.Where(f => Directory.Exists(f.Folder)).Distinct().ToList();
        lock (_gate)
        {
            if (_disposed || wanted.SequenceEqual(_folders))
            {
                return;
            }

            var previous = _watchers;
            _watchers = [.. wanted.Select(Watch).OfType<FileSystemWatcher>()];
            _folders = wanted;
            foreach (var watcher in previous)
            {
                watcher.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }

            _watchers = [];
        }

        _debounce.Dispose();
        _poll.Dispose();
    }

    /// <summary>A watcher on the folder; null when the system will not give one (Linux's limit of inotify instances per user,
    /// a folder removed meanwhile): the periodic check still covers the folder, so a change is seen within PollInterval.</summary>
    private FileSystemWatcher? Watch((string Folder, bool Recursive) folder)
    {
        FileSystemWatcher? watcher = null;
        try
        {
            // The constructor checks the folder again: it may have gone since WatchFolders looked.
            watcher = new FileSystemWatcher(folder.Folder)
            {
                IncludeSubdirectories = folder.Recursive,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => OnChange();
            watcher.Created += (_, _) => OnChange();
            watcher.Deleted += (_, _) => OnChange();
            watcher.Renamed += (_, _) => OnChange();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            watcher?.Dispose();
            return null;
        }
    }

    private void OnChange()
    {
        try
        {
            _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // An event that arrived while disposing.
        }
    }
}
