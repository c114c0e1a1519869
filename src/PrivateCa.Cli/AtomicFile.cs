using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PrivateCa.Cli;

/// <summary>
/// Writes a file that readers see either whole or not at all, safely in a folder others can write to (an
/// init container's shared volume): a temporary file with a random name, created exclusively (an existing
/// file or symbolic link of that name makes it fail rather than be followed), flushed to disk, given mode
/// 0644, checked, then renamed over the target. rename(2) replaces a symbolic link at the target rather than
/// writing through it, and a folder on the way to the target that is a symbolic link is refused: whoever can change
/// that link would choose where the file lands. The temporary file is removed on any failure.
/// </summary>
internal static class AtomicFile
{
    /// <summary>rw-r--r--: the bundle is public data every process in the pod may read.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="content"/> to <paramref name="target"/>; <paramref name="check"/> sees the temporary file before it is renamed.</summary>
    /// <exception cref="IOException">The folder cannot be written, or the target is a directory.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or target is not writable.</exception>
    public static void Write(string target, ReadOnlySpan<byte> content, Action<string>? check = null)
    {
        var full = Path.GetFullPath(target);
        var directory = Path.GetDirectoryName(full) ?? throw new IOException($"'{target}' has no parent folder.");
        if (LinkedFolder(directory) is var (link, linkTarget))
        {
            throw new IOException($"'{link}' is a symbolic link to '{linkTarget}', and the file is not written through a link in its folders "
                + "(whoever can change the link would choose where it lands). Name the folder without links.");
        }

        if (Directory.Exists(full))
        {
            throw new IOException("it is a directory.");
        }

        if (!OperatingSystem.IsWindows() && IsSpecialFile(full))
        {
            // rename(2) would replace /dev/null, /dev/stdout's target or a FIFO with a regular file.
            throw new IOException("it is a device, pipe or socket, not a regular file; merge writes regular files only.");
        }

        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = Mode;
            }

            using (var stream = new FileStream(temporary, options))
            {
                if (!OperatingSystem.IsWindows())
                {
                    // The creation mode is narrowed by the umask; set it on the open handle, never by path.
                    File.SetUnixFileMode(stream.SafeFileHandle, Mode);
                }

                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            check?.Invoke(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>The first folder from the root down to <paramref name="directory"/> that is a symbolic link, and what it points to.</summary>
    private static (string Link, string Target)? LinkedFolder(string directory)
    {
        var folders = new Stack<string>();
        for (var folder = directory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            folders.Push(folder);
        }

        foreach (var folder in folders)
        {
            if (new DirectoryInfo(folder).LinkTarget is { } linkTarget)
            {
                return (folder, linkTarget);
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="path"/> exists and is (or links to) something other than a regular file or a directory.</summary>
    private static bool IsSpecialFile(string path)
    {
        // .NET's file APIs do not tell a device from a file; the runtime's own stat shim does (mode is the second int).
        var status = new byte[256];
        if (SystemNativeStat(path, status) != 0)
        {
            return false; // Missing (or a dangling link, which rename replaces): nothing special to protect.
        }

        var type = BitConverter.ToInt32(status, 4) & 0xF000;
        return type is not (0x8000 or 0x4000); // S_IFREG, S_IFDIR
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SystemNativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the failure that got us here is what gets reported.
        }
    }
}
