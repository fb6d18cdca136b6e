using System.ComponentModel.DataAnnotations;
using System.Net;

namespace DataCentric.Edge.Agent.Health;

/// <summary>The local metrics endpoint and how often missing devices are looked for again.</summary>
public sealed class HealthOptions : IValidatableObject
{
    public const string SectionName = "Health";

    /// <summary>Serve Prometheus text on <c>http://{MetricsHost}:{MetricsPort}/metrics</c>; the board configs turn it on.</summary>
    public bool MetricsEnabled { get; set; }

    /// <summary>Loopback only: the endpoint has no authentication.</summary>
    [Required]
    public string MetricsHost { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int MetricsPort { get; set; } = 9464;

    /// <summary>How often a missing device node is looked for again.</summary>
    public TimeSpan DeviceProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the retained MQTT status is republished with fresh health figures.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var loopback = MetricsHost is "localhost" || (IPAddress.TryParse(MetricsHost, out var address) && IPAddress.IsLoopback(address));
        if (!loopback)
        {
            yield return new ValidationResult(
                $"MetricsHost must be a loopback address (127.0.0.1, ::1 or localhost), not '{MetricsHost}': the endpoint has no authentication.",
                [nameof(MetricsHost)]);
        }
    }
}
