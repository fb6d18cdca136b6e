using System.Globalization;
using DataCentric.Edge.Buffer;

namespace DataCentric.Edge.Agent.Drives;

/// <summary>
/// How many bytes a drive may still take: the least of what <c>Drives:MaxDiskBytes</c> leaves after
/// the drives already in the folder, and the disk's free space less what the clip buffer needs
/// (<c>Storage:MinFreeDiskBytes</c> plus the part of <c>Storage:ClipQuotaBytes</c> its clips do not use yet).
/// </summary>
internal sealed record DriveBudget(long AllowedBytes, string Limit)
{
    /// <summary>Below this a recording is not started: it would hold little more than its summary.</summary>
    public const long MinimumBytes = 1024 * 1024;

    public static DriveBudget Measure(string driveDirectory, string clipDirectory, DriveOptions drives, StorageOptions storage)
    {
        var existing = SizeOf(driveDirectory, "*.mcap") + SizeOf(driveDirectory, "*.mcap.tmp");
        var byBudget = drives.MaxDiskBytes - existing;
        var (byDisk, diskLimit) = DiskRoom(driveDirectory, clipDirectory, storage);
        return byBudget <= byDisk
            ? new DriveBudget(Math.Max(0, byBudget), Text($"Drives:MaxDiskBytes is {Mib(drives.MaxDiskBytes)} and the drives in {driveDirectory} take {Mib(existing)}"))
            : new DriveBudget(Math.Max(0, byDisk), diskLimit);
    }

    /// <summary>Free space on the drive's disk less what the clip buffer needs, and the sentence that says so.</summary>
    public static (long Bytes, string Limit) DiskRoom(string driveDirectory, string clipDirectory, StorageOptions storage)
    {
        var free = new DriveInfo(driveDirectory).AvailableFreeSpace;
        var unusedQuota = Math.Max(0, storage.ClipQuotaBytes - SizeOf(clipDirectory, "*"));
        var reserve = storage.MinFreeDiskBytes + unusedQuota;
        return (free - reserve, Text(
            $"the disk has {Mib(free)} free and the clip buffer needs {Mib(reserve)} of it (Storage:MinFreeDiskBytes {Mib(storage.MinFreeDiskBytes)} + unused Storage:ClipQuotaBytes {Mib(unusedQuota)})"));
    }

    private static long SizeOf(string directory, string pattern) =>
        Directory.Exists(directory)
            ? new DirectoryInfo(directory).EnumerateFiles(pattern, pattern == "*" ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).Sum(f => f.Length)
            : 0;

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
