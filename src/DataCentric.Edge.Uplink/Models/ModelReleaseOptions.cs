using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// Signed model releases pushed by the fleet (checked with the same pinned keys and groups as
/// trigger sets, <c>RemoteConfig</c>).
/// </summary>
public sealed class ModelReleaseOptions : IValidatableObject
{
    public const string SectionName = "ModelReleases";

    /// <summary>The largest model file this device may load beside the running one; a larger release is refused.</summary>
    [Range(1024L, 16L * 1024 * 1024 * 1024)]
    public long MaxModelBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Where accepted releases, transfers and the released files with their state are kept (relative to Agent:DataDirectory).</summary>
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

    /// <summary>
    /// Starts a release may die in before it survives; the next start restores the previous model.
    /// A start that ends in a clean stop (SIGTERM, no worker failed) does not count.
    /// </summary>
    [Range(1, 100)]
    public int CrashLoopStarts { get; set; } = 3;

    /// <summary>
    /// Most model bytes downloaded per UTC day (counted across restarts); a transfer over it waits
    /// for the next day, saying so in its ack. 0: no limit; otherwise at least one chunk (131072).
    /// </summary>
    [Range(0L, 1L << 40)]
    public long DownloadBudgetBytesPerDay { get; set; } = 512L * 1024 * 1024;

    /// <summary>Download only while the default route goes through a wireless interface (/sys/class/net/IF/wireless).</summary>
    public bool WifiOnly { get; set; }

    /// <summary>Download only while the default route goes through one of these interfaces (e.g. wlan0, eth0); empty: any.</summary>
    public IList<string> AllowedInterfaces { get; } = [];

    /// <summary>How often a transfer waiting for the network policy looks again.</summary>
    public TimeSpan NetworkRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a requested chunk may take before the ack says it is missing on the broker (the transfer keeps waiting).</summary>
    public TimeSpan ChunkTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Chunks requested at once: bounds the memory and socket buffers a transfer uses (each chunk ≤ 128 KiB).</summary>
    [Range(1, 64)]
    public int ChunksInFlight { get; set; } = 8;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (NetworkRecheckInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"NetworkRecheckInterval must be positive, not {NetworkRecheckInterval}.", [nameof(NetworkRecheckInterval)]);
        }

        if (DownloadBudgetBytesPerDay is > 0 and < ModelTopics.ChunkBytes)
        {
            yield return new ValidationResult(
                $"DownloadBudgetBytesPerDay must be 0 (no limit) or at least one chunk ({ModelTopics.ChunkBytes} bytes), not {DownloadBudgetBytesPerDay}: a smaller budget could never fetch a chunk.",
                [nameof(DownloadBudgetBytesPerDay)]);
        }

        if (ChunkTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"ChunkTimeout must be positive, not {ChunkTimeout}.", [nameof(ChunkTimeout)]);
        }

        foreach (var name in AllowedInterfaces.Where(n => string.IsNullOrWhiteSpace(n) || n.Contains('/', StringComparison.Ordinal)))
        {
            yield return new ValidationResult($"AllowedInterfaces: '{name}' is not a network interface name.", [nameof(AllowedInterfaces)]);
        }
    }

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

