using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>Signed trigger sets pushed by the fleet manager over MQTT.</summary>
public sealed class RemoteConfigOptions
{
    public const string SectionName = "RemoteConfig";

    /// <summary>PEM public keys (P-256) of the fleet managers this device trusts; none means every remote set is refused.</summary>
    public IList<string> TrustedKeyPaths { get; } = [];

    /// <summary>Groups this device belongs to (a set may target a group).</summary>
    public IList<string> Groups { get; } = [];

    /// <summary>Largest signed envelope accepted.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxEnvelopeBytes { get; set; } = 256 * 1024;

    /// <summary>Where the accepted set and the one before it are kept (relative to Agent:DataDirectory).</summary>
    [Required]
    public string StateDirectory { get; set; } = "trigger-sets";
}
