namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>
/// A trigger set as written (YAML) or sent (JSON): the same model for both. Durations are strings
/// such as <c>200ms</c>, <c>2s</c>, <c>1m</c>; <see cref="TriggerSetCompiler"/> checks and converts them.
/// </summary>
public sealed class TriggerSetDocument
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>Monotonic: a device accepts only a set newer than the one it runs.</summary>
    public int Version { get; set; }

    public string? Description { get; set; }

    /// <summary>A signal whose latest sample is older than this counts as missing (default 1s).</summary>
    public string StaleAfter { get; set; } = "1s";

    /// <summary>The embedding signal that <c>minNovelty</c> compares clips with.</summary>
    public string EmbeddingSignal { get; set; } = "shadow.embedding";

    public IList<TriggerDefinition> Triggers { get; init; } = [];
}
