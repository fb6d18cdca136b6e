using DataCentric.Edge.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Buffer;

/// <summary>The configuration section of the clip buffer (quotas, free-space floor, checkpoints).</summary>
public static class BufferConfiguration
{
    /// <remarks>Each bind is written out with its own type so that the source-generated binder serves it (<see cref="ConfigSection"/>).</remarks>
    public static IReadOnlyList<ConfigSection> Sections { get; } =
    [
        new ConfigSection<StorageOptions>(StorageOptions.SectionName, (c, o) => c.Bind(o, ConfigSection.Strict)),
    ];
}
