using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// Signed model releases pushed by the fleet (checked with the same pinned keys and groups as
/// trigger sets, <c>RemoteConfig</c>).
/// </summary>
public sealed class ModelReleaseOptions
{
    public const string SectionName = "ModelReleases";

    /// <summary>The largest model file this device may load beside the running one; a larger release is refused.</summary>
    [Range(1024L, 16L * 1024 * 1024 * 1024)]
    public long MaxModelBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Where accepted releases are recorded (relative to Agent:DataDirectory).</summary>
    [Required]
    public string StateDirectory { get; set; } = "models";

    /// <summary>Real frames a release runs on beside the running model before it is swapped in.</summary>
    [Range(1, 10_000)]
    public int ProbationFrames { get; set; } = 30;

    /// <summary>How long probation waits for those frames; fewer fail the release.</summary>
    [DurationRange("00:00:01", "01:00:00")]
    public TimeSpan ProbationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A release fails probation when its p95 latency exceeds its budget times this.</summary>
    [Range(1.0, 100.0)]
    public double LatencyTolerance { get; set; } = 1.5;

    /// <summary>The memory the agent may use with a release loaded beside the running model; the unit's cgroup limit applies too (the lower wins). Unset: the cgroup's only.</summary>
    [Range(1024L * 1024, 1L << 50)]
    public long? MemoryLimitBytes { get; set; }

    /// <summary>A new session's resident cost, estimated before loading as this times the file's size.</summary>
    [Range(0.0, 100.0)]
    public double LoadCostFactor { get; set; } = 2.0;

    /// <summary>How long the agent must stay up after a swap before the release counts as surviving.</summary>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan HealthyAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Starts a release may die in before it survives; the next start restores the previous model.</summary>
    [Range(1, 100)]
    public int CrashLoopStarts { get; set; } = 3;

    /// <summary>A duration between two bounds (RangeAttribute's TimeSpan form is not trim-safe).</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class DurationRangeAttribute(string minimum, string maximum) : ValidationAttribute
    {
        private readonly TimeSpan _minimum = TimeSpan.Parse(minimum, System.Globalization.CultureInfo.InvariantCulture);
        private readonly TimeSpan _maximum = TimeSpan.Parse(maximum, System.Globalization.CultureInfo.InvariantCulture);

        public override bool IsValid(object? value) => value is TimeSpan duration && duration >= _minimum && duration <= _maximum;

        public override string FormatErrorMessage(string name) => $"The field {name} must be between {_minimum} and {_maximum}.";
    }
}
