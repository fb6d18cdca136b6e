using System.Runtime.InteropServices;

namespace DataCentric.Edge.Core.Storage;

/// <summary>
/// fsync of a directory, so that a rename into it survives power loss. .NET cannot open a
/// directory as a file handle, so this calls open/fsync/close in libc; elsewhere than Linux it does
/// nothing (NTFS journals renames; macOS is not a target).
/// </summary>
public static partial class DirectorySync
{
    private const int ReadOnly = 0;

    /// <exception cref="IOException">The directory cannot be opened or synced.</exception>
    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Creates <paramref name="directory"/> (and its parents) and makes its name durable: syncs the parent once it exists.</summary>
    public static string CreateDurably(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            // Parents first, each made durable in its own parent, so no level can vanish.
            if (Path.GetDirectoryName(full) is { } parent && !Directory.Exists(parent))
            {
                CreateDurably(parent);
            }

            Directory.CreateDirectory(full);
        }

        // Also when it existed: a crash right after the last run made it may have left its name unsynced.
        if (Path.GetDirectoryName(full) is { } containing)
        {
            Sync(containing);
        }

        return full;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
