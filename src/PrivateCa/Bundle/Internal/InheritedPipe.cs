using System.Buffers;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace PrivateCa.Bundle.Internal;

/// <summary>
/// A file argument that is a pipe this process inherited: bash's process substitution (<c>--chain &lt;(cat chain.pem)</c>)
/// hands a program <c>/dev/fd/63</c>, a link to "pipe:[123]" that no path resolves, and so is <c>/dev/stdin</c> after
/// <c>cat chain.pem |</c>. Read from that descriptor itself, never opened again (opening a named FIFO waits for a writer,
/// so those stay refused), once, up to the size limit.
/// Linux only: other systems' /dev/fd is not a link and stays a device the loader refuses.
/// </summary>
internal sealed class InheritedPipe
{
    private const string DescriptorFolder = "/proc/self/fd/";
    private const int ReadOnly = 0; // O_RDONLY, the access mode in the low two bits of open(2)'s flags
    private const int WriteOnly = 1; // O_WRONLY; O_RDWR is 2

    private InheritedPipe(int descriptor, string identity)
    {
        Descriptor = descriptor;
        Identity = identity;
    }

    /// <summary>The descriptor number, N of /dev/fd/N.</summary>
    public int Descriptor { get; }

    /// <summary>"pipe:[123]": the same for every descriptor of one pipe, so a pipe named twice is read once.</summary>
    public string Identity { get; }

    /// <summary>The pipe <paramref name="path"/> names, when it is /dev/fd/N, /proc/self/fd/N or /dev/stdin (N = 0) and descriptor N is an anonymous pipe.</summary>
    public static InheritedPipe? Find(string path) =>
        DescriptorOf(path) is int descriptor && Target(descriptor) is { } target && target.StartsWith("pipe:[", StringComparison.Ordinal)
            ? new InheritedPipe(descriptor, target)
            : null;

    /// <summary>What descriptor N is when <paramref name="path"/> names one that is not a file ("socket:[123]", "anon_inode:[eventfd]"), for a message.</summary>
    public static string? DescribeOther(string path) =>
        DescriptorOf(path) is int descriptor && Target(descriptor) is { } target && !target.StartsWith('/') ? target : null;

    /// <summary>Reads the pipe to its end, once, into a pooled buffer the caller returns.</summary>
    /// <param name="path">The path that named it, for messages.</param>
    /// <param name="variable">The variable that named the path, if any.</param>
    /// <param name="limit">The loader's largest file; a pipe that gives more is refused and not read further.</param>
    /// <param name="length">How many bytes of the buffer it gave.</param>
    /// <exception cref="CertificateBundleException">Reading could never end (see <see cref="Obstacle"/>), or the pipe gave nothing, or too much.</exception>
    /// <exception cref="IOException">The descriptor cannot be read.</exception>
    public byte[] ReadOnce(string path, string? variable, long limit, out int length)
    {
        if (Obstacle() is { } obstacle)
        {
            throw new CertificateBundleException(path, variable, null, obstacle, "Pass '<(command)' or a file.");
        }

        var content = Read(limit, out length);
        if (length > 0 && length <= limit)
        {
            return content;
        }

        ArrayPool<byte>.Shared.Return(content);
        throw length == 0
            ? new CertificateBundleException(path, variable, null, "the pipe gave no bytes (its command wrote nothing, or it was read already)",
                "Check the command that writes it.")
            : new CertificateBundleException(path, variable, null, $"the pipe is over the {limit:N0}-byte limit (reading stopped there)",
                "Check that the command writes a CA bundle.");
    }

    /// <summary>Why reading to the end would not work or never come, or null: only the reading end of a pipe that no descriptor of
    /// this process can write to ends, when its writers (the substituted command) are done.</summary>
    private string? Obstacle()
    {
        switch (AccessMode(Descriptor))
        {
            case WriteOnly:
                return "it is the writing end of a pipe (as '>(command)' gives; '<(command)' gives the reading end)";
            case not ReadOnly:
                return $"descriptor {Descriptor} is open for writing too (or its state cannot be read from /proc), so reading it might never end";
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(DescriptorFolder))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var other)
                && other != Descriptor && Target(other) == Identity && AccessMode(other) != ReadOnly)
            {
                return $"this process also holds the pipe's writing end (descriptor {other}), so reading it would never end";
            }
        }

        return null;
    }

    /// <summary>Reads until every writer has closed the pipe, or until one byte past <paramref name="limit"/>.</summary>
    private byte[] Read(long limit, out int length)
    {
        using var stream = new FileStream(new SafeFileHandle(Descriptor, ownsHandle: false), FileAccess.Read, bufferSize: 0);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, 64 * 1024));
        length = 0;
        try
        {
            while (length <= limit)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                // read(2) returns what the writers have written so far, waits while one may still write, and gives 0 at the end.
                var read = stream.Read(buffer.AsSpan(length));
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return buffer;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static int? DescriptorOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var number = path == "/dev/stdin" ? "0"
            : path.StartsWith("/dev/fd/", StringComparison.Ordinal) ? path["/dev/fd/".Length..]
            : path.StartsWith(DescriptorFolder, StringComparison.Ordinal) ? path[DescriptorFolder.Length..]
            : null;
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var descriptor) ? descriptor : null;
    }

    /// <summary>What /proc/self/fd/N links to: a path, or "pipe:[123]", "socket:[123]"…; null when N is not open.</summary>
    private static string? Target(int descriptor)
    {
        try
        {
            return new FileInfo(DescriptorFolder + descriptor.ToString(CultureInfo.InvariantCulture)).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The access mode of descriptor N from the octal "flags:" line of /proc/self/fdinfo/N; -1 when it cannot be read.</summary>
    private static int AccessMode(int descriptor)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/fdinfo/" + descriptor.ToString(CultureInfo.InvariantCulture)))
            {
                if (line.StartsWith("flags:", StringComparison.Ordinal))
                {
                    return Convert.ToInt32(line["flags:".Length..].Trim(), 8) & 3;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException or ArgumentException)
        {
            // Fall through: unknown, and unknown is not read.
        }

        return -1;
    }
}
