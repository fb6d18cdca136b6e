using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Core.Configuration;

/// <summary>Who this device is, where it keeps its data, and how it settles after start-up.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>Fleet and device ids are MQTT topic segments beside the fleet's own <c>_groups</c>, <c>_fleet</c> and <c>_models</c>.</summary>
    private const string TopicSegmentPattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    [Required]
    [RegularExpression(TopicSegmentPattern, ErrorMessage = "Fleet must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit ('_' first is kept for _groups, _fleet and _models).")]
    public string Fleet { get; set; } = "demo";

    [Required]
    [RegularExpression(TopicSegmentPattern, ErrorMessage = "DeviceId must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit ('_' first is kept for _groups, _fleet and _models).")]
    public string DeviceId { get; set; } = "device-1";

    /// <summary>Catalog, clips and lock file; relative paths are resolved against the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The trigger set active at start (YAML or JSON); relative to the agent's base directory.</summary>
    [Required]
    public string TriggerSetPath { get; set; } = Path.Combine("triggers", "demo.yaml");

    /// <summary>
    /// After the first frame, drop the resident pages of the agent's own code files that only
    /// start-up used (Linux; they stay in the page cache). Off: they stay counted in the agent's RSS.
    /// </summary>
    public bool ReleaseStartupPages { get; set; } = true;
}
