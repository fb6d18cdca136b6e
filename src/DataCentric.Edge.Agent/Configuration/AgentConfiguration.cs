using System.Diagnostics.CodeAnalysis;
using DataCentric.Edge.Agent.Drives;
using DataCentric.Edge.Agent.Health;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device;
using DataCentric.Edge.Fleet;
using DataCentric.Edge.Uplink;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Agent.Configuration;

/// <summary>
/// The agent's configuration file: every section it reads (each project declares its own, beside its
/// options), checked whole before anything starts, and its JSON Schema
/// (firmware-config/agent-config.schema.json). <c>edgectl config validate|schema</c> uses the same.
/// </summary>
public static class AgentConfiguration
{
    public static ConfigSection<PipelineOptions> Pipeline { get; } = new(PipelineOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static ConfigSection<HealthOptions> Health { get; } = new(HealthOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    public static ConfigSection<DriveOptions> Drives { get; } = new(DriveOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict));

    /// <summary>Every section the agent reads, with the options type it binds to.</summary>
    public static IReadOnlyList<ConfigSection> Sections { get; } =
    [
        .. CoreConfiguration.Sections,
        .. DeviceConfiguration.Sections,
        .. BufferConfiguration.Sections,
        .. UplinkConfiguration.Sections,
        .. FleetConfiguration.Sections,
        Pipeline,
        Health,
        Drives,
    ];

    private const string Logging = "Logging";

    private static readonly SchemaHeader Header = new(
        "https://datacentric.edge/schemas/agent-config.schema.json",
        "DataCentric.Edge agent configuration",
        [(Logging, "Microsoft.Extensions.Logging configuration."), ("Sources", "Device sources (camera, GPIO, I2C, CAN).")]);

    /// <summary>Every problem of the configuration, each with its key; empty when the agent may start.</summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration) =>
        ConfigurationValidator.Validate(configuration, Sections, Logging);

    [RequiresUnreferencedCode("Walks the option types by reflection; only edgectl, which is not trimmed, writes the schema.")]
    public static string SchemaJson() => ConfigurationSchema.ToJson(Header, Sections);
}
