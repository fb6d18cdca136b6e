using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Uplink;

/// <summary>The configuration sections of the device's link: broker connection and upload, remote trigger sets, commands.</summary>
public static class UplinkConfiguration
{
    /// <remarks>Each bind is written out with its own type so that the source-generated binder serves it (<see cref="ConfigSection"/>).</remarks>
    public static IReadOnlyList<ConfigSection> Sections { get; } =
    [
        new ConfigSection<UplinkOptions>(UplinkOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<RemoteConfigOptions>(RemoteConfigOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<ModelReleaseOptions>(ModelReleaseOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<CommandOptions>(CommandOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
    ];
}
