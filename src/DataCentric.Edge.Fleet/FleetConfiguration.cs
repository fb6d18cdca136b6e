using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Fleet.Receiver;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Fleet;

/// <summary>The configuration section of the clip receiver.</summary>
public static class FleetConfiguration
{
    /// <remarks>Each bind is written out with its own type so that the source-generated binder serves it (<see cref="ConfigSection"/>).</remarks>
    public static IReadOnlyList<ConfigSection> Sections { get; } =
    [
        new ConfigSection<ReceiverOptions>(ReceiverOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
    ];
}
