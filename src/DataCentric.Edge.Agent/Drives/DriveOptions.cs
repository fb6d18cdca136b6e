using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Agent.Drives;

/// <summary>Recorded drives (<c>dce-agent record</c>, the <c>recordDrive</c> command): where they go and how much disk they may take.</summary>
public sealed class DriveOptions
{
    public const string SectionName = "Drives";

    /// <summary>Folder of the drive files; empty: <c>drives</c> in <c>Agent:DataDirectory</c>.</summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>
    /// Most bytes all drive files in the folder may take together. A recording that would pass it
    /// stops there (the drive says why); with no room left, none starts. Besides this, a drive never
    /// takes the space the clip buffer needs (<c>Storage:MinFreeDiskBytes</c> plus its unused quota).
    /// </summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long MaxDiskBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>The longest one recording may last.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Frames waiting for the drive writer; beyond this the oldest is dropped (counted in the drive).</summary>
    [Range(1, 4096)]
    public int FrameQueue { get; set; } = 64;
}
