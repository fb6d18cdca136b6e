namespace DataCentric.Edge.Core.Triggers;

/// <summary>
/// Cost bounds checked before a trigger set is accepted, so that no set a fleet manager pushes can
/// make the tick slow or the memory grow. Defaults are the safe ones from the design.
/// </summary>
public sealed record TriggerLimits
{
    public static TriggerLimits Default { get; } = new();

    /// <summary>Characters of one <c>when</c> expression.</summary>
    public int MaxExpressionLength { get; init; } = 4096;

    /// <summary>Characters of the whole YAML/JSON document.</summary>
    public int MaxDocumentLength { get; init; } = 256 * 1024;

    public int MaxDepth { get; init; } = 32;

    public int MaxNodes { get; init; } = 512;

    public int MaxTriggers { get; init; } = 64;

    /// <summary>Longest window of <c>mean/min/max/delta</c>, <c>held</c> and <c>disagree</c> lags.</summary>
    public TimeSpan MaxWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Samples a window keeps; the engine also caps it at the bus's history capacity.</summary>
    public int MaxHistorySamples { get; init; } = 300;

    /// <summary>Longest pre or post window of a clip.</summary>
    public TimeSpan MaxClipWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Embeddings kept as the running reference of <c>novelty()</c> and <c>minNovelty</c>.</summary>
    public int NoveltyReferenceSize { get; init; } = 32;
}
