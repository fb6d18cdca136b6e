using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Documents;

namespace DataCentric.Edge.Core.Triggers;

/// <summary>
/// A trigger set that passed validation as a whole. Immutable and free of per-engine state, so the
/// same compiled set can run in the agent's engine and in a backtest.
/// </summary>
public sealed class CompiledTriggerSet
{
    internal CompiledTriggerSet(
        TriggerSetDocument document,
        TimeSpan staleAfter,
        IReadOnlyList<CompiledTrigger> triggers,
        IReadOnlyList<(string Name, SignalKind Kind)> signals,
        TriggerLimits limits)
    {
        Document = document;
        SchemaVersion = document.SchemaVersion;
        Version = document.Version;
        Description = document.Description;
        EmbeddingSignal = document.EmbeddingSignal;
        StaleAfter = staleAfter;
        Triggers = triggers;
        Signals = signals;
        Limits = limits;
    }

    /// <summary>The document as it was validated (for round trips and reports; changing it changes nothing here).</summary>
    public TriggerSetDocument Document { get; }

    public int SchemaVersion { get; }

    public int Version { get; }

    public string? Description { get; }

    /// <summary>A signal whose latest sample is older than this counts as missing.</summary>
    public TimeSpan StaleAfter { get; }

    /// <summary>Embedding signal used for <c>minNovelty</c>.</summary>
    public string EmbeddingSignal { get; }

    public IReadOnlyList<CompiledTrigger> Triggers { get; }

    /// <summary>Every signal some trigger reads, with the kind it was checked against (index = slot).</summary>
    public IReadOnlyList<(string Name, SignalKind Kind)> Signals { get; }

    public TriggerLimits Limits { get; }

    public CompiledTrigger? Find(string id) => Triggers.FirstOrDefault(t => t.Id == id);
}
