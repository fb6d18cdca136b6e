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
}
