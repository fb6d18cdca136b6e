using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Core.Triggers;

/// <summary>A trigger set's source format: from a file's name, and as the signed envelope names it.</summary>
public static class TriggerSourceFormats
{
    /// <summary>A trigger set file's format from its name: <c>.json</c> is JSON, anything else YAML.</summary>
    public static TriggerSourceFormat FromPath(string path) =>
        Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) ? TriggerSourceFormat.Json : TriggerSourceFormat.Yaml;

    public static TriggerSetFormat ToWire(this TriggerSourceFormat format) =>
        format == TriggerSourceFormat.Json ? TriggerSetFormat.Json : TriggerSetFormat.Yaml;

    public static TriggerSourceFormat FromWire(TriggerSetFormat format) =>
        format == TriggerSetFormat.Json ? TriggerSourceFormat.Json : TriggerSourceFormat.Yaml;
}
