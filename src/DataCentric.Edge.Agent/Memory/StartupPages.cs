using System.Runtime.InteropServices;

namespace DataCentric.Edge.Agent.Memory;

/// <summary>What <see cref="StartupPages.Release"/> dropped, and what madvise refused (with the first refusal's error).</summary>
internal readonly record struct ReleasedPages(int Mappings, long ResidentBytes, int Refused, string? FirstRefusal);

/// <summary>
/// Drops this process's hold on the pages of its own code files that start-up touched: the host
/// building, config binding, ONNX Runtime's kernel registration and graph optimisers, which run once.
/// The pages stay in the page cache; those the steady loop runs fault back in (a minor fault, no
/// I/O), the rest become cache the kernel can reclaim first instead of resident memory of the agent.
/// Only files in the application's directory: the runtime, the assemblies and the native libraries
/// there stay mapped for the life of the process, so a mapping read from smaps is still the same
/// mapping when madvise reaches it. Only mappings that were never writable and hold no copied page,
/// so dropping them cannot lose a byte (<see cref="MappedFileRegion.IsCleanFileCode"/>).
/// </summary>
internal static class StartupPages
{
    private const int MadviseDontNeed = 4;

    /// <summary>Releases the clean file pages mapped from <paramref name="directory"/>; nothing where it is not Linux.</summary>
    public static ReleasedPages Release(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return default;
        }

        // smaps names files by their resolved path: an install behind a symlink must match too.
        var prefix = Path.TrimEndingDirectorySeparator(RealPath(Path.GetFullPath(directory))) + Path.DirectorySeparatorChar;
        var released = 0;
        var refused = 0;
        string? firstRefusal = null;
        long bytes = 0;
        foreach (var region in SmapsReader.FileRegions(File.ReadLines("/proc/self/smaps")).Where(r => r.IsCleanFileCode(prefix)))
        {
            if (Madvise((nint)region.Start, (nuint)(region.End - region.Start), MadviseDontNeed) == 0)
            {
                released++;
                bytes += region.RssKb * 1024;
            }
            else
            {
                // A locked mapping (EINVAL) keeps its pages, which is only memory; ENOMEM would say the
                // mapping went away between the read and the call, which the directory rule rules out.
                refused++;
                firstRefusal ??= $"{region.Path} at 0x{region.Start:x}: {Marshal.GetLastPInvokeErrorMessage()}";
            }
        }

        return new ReleasedPages(released, bytes, refused, firstRefusal);
    }

    private static string RealPath(string path)
    {
        var resolved = RealPathNative(path, 0);
        if (resolved == 0)
        {
            return path;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved) ?? path;
        }
        finally
        {
            Free(resolved);
        }
    }

    // int madvise(void *addr, size_t length, int advice)
    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static extern int Madvise(nint address, nuint length, int advice);

    // char *realpath(const char *path, char *resolved_path): with NULL, a malloc'd result.
    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern nint RealPathNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, nint resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(nint pointer);
}
