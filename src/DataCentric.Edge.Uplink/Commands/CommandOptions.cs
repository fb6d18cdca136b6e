using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Uplink.Commands;

/// <summary>Commands from engineers (MQTT 5 request/response), authorised by the broker ACL.</summary>
public sealed class CommandOptions
{
    public const string SectionName = "Commands";

    public bool Enabled { get; set; } = true;

    /// <summary>A larger request is answered with an error and not parsed.</summary>
    [Range(64, 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 16 * 1024;

    /// <summary>Requests allowed per <see cref="RateWindow"/>; beyond it the answer is "rate limited".</summary>
    [Range(1, 100_000)]
    public int MaxRequestsPerWindow { get; set; } = 30;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most events or clips one list answer carries.</summary>
    [Range(1, 10_000)]
    public int MaxListItems { get; set; } = 200;
}
