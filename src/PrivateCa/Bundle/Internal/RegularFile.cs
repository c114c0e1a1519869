using System.Buffers;

namespace PrivateCa.Bundle.Internal;

/// <summary>The bytes of a regular file for <see cref="BundleFileWalker"/>: measured before it is opened (a device or named FIFO
/// shows as empty and is never opened, since opening a FIFO waits for a writer), then read whole, up to the size limit.</summary>
internal static class RegularFile
{
    /// <summary>Reads <paramref name="real"/> (what <paramref name="path"/> leads to) into a pooled buffer the caller returns;
    /// the length is one past <paramref name="limit"/> when the file grew over it while being read.</summary>
    /// <exception cref="CertificateBundleException">It is a directory, empty, or over the limit.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">This process may not read it.</exception>
    public static byte[] Read(string path, string real, string? variable, long limit, out int length)
    {
        var info = new FileInfo(real);
        if ((info.Attributes & FileAttributes.Directory) != 0)
        {
            throw new CertificateBundleException(path, variable, null, "this is a directory, and a file was expected", "Name a certificate file.");
        }

        if (info.Length == 0)
        {
            // Checked before opening: a pipe or device reports 0 bytes, and opening a pipe would block.
            throw new CertificateBundleException(path, variable, null, "the file is empty (0 bytes; a pipe or device also shows as empty and is not read)",
                "Check that it was written completely, or point it at the bundle file itself.");
        }

        if (info.Length > limit)
        {
            throw new CertificateBundleException(path, variable, null,
                $"the file is {info.Length:N0} bytes, over the {limit:N0}-byte limit",
                "Check that this is a CA bundle; raise BundleLoadOptions.MaxFileSize if it really is one.");
        }

        return ReadAll(real, limit, out length);
    }

    /// <summary>Reads a whole file into a pooled buffer (bundles are read often on rotation; no large-object-heap garbage).</summary>
    private static byte[] ReadAll(string path, long limit, out int length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = RandomAccess.GetLength(handle);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(size, 0), limit) + 1);
        length = 0;
        while (true)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
            if (read == 0)
            {
                return buffer;
            }

            length += read;
            if (length > limit)
            {
                // The caller refuses it; no need to read the rest.
                return buffer;
            }

            if (length == buffer.Length)
            {
                // The file grew since it was measured.
                var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
        }
    }
}
