namespace DataCentric.Edge.Core.Triggers;

public static class TriggerSourceFormats
{
    /// <summary>A trigger set file's format from its name: <c>.json</c> is JSON, anything else YAML.</summary>
    public static TriggerSourceFormat FromPath(string path) =>
        Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) ? TriggerSourceFormat.Json : TriggerSourceFormat.Yaml;
}
