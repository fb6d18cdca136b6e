using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Recording;
using DataCentric.Edge.Core.Signals;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Core.Configuration;

/// <summary>The configuration sections Core's components read: the device's identity, the signal bus, the recorder.</summary>
public static class CoreConfiguration
{
    /// <remarks>Each bind is written out with its own type so that the source-generated binder serves it (<see cref="ConfigSection"/>).</remarks>
    public static IReadOnlyList<ConfigSection> Sections { get; } =
    [
        new ConfigSection<AgentOptions>(AgentOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<SignalBusOptions>(SignalBusOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
        new ConfigSection<RecorderOptions>(RecorderOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
    ];
}
