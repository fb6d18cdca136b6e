using System.ComponentModel.DataAnnotations;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Core.Recording;

public sealed class RecorderOptions
{
    public const string SectionName = "Recorder";

    /// <summary>How much recent data the ring keeps; must cover the longest pre + post window.</summary>
    public TimeSpan RingDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Upper bound on encoded frame bytes in the ring; the oldest frames go first (counted).</summary>
    [Range(1024, long.MaxValue)]
    public long RingMaxBytes { get; set; } = 64L * 1024 * 1024;

    [Range(16, 10_000_000)]
    public int RingMaxSignalSamples { get; set; } = 100_000;

    /// <summary>Merged clips never grow longer than this.</summary>
    public TimeSpan MaxClipLength { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Clips waiting for their post window; a trigger beyond this is refused and reported.</summary>
    [Range(1, 1024)]
    public int MaxPendingClips { get; set; } = 8;

    /// <summary>How long after a clip's end to wait for late frames before writing it.</summary>
    [AllowZeroDuration]
    public TimeSpan LateDataGrace { get; set; } = TimeSpan.FromMilliseconds(250);
}
