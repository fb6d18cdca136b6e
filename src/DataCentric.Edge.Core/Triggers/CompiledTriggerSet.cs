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
        StaleAfter = staleAfter;
        Triggers = triggers;
        Signals = signals;
        Limits = limits;
    }

    public TriggerSetDocument Document { get; }

    public int SchemaVersion => Document.SchemaVersion;

    public int Version => Document.Version;

    public string? Description => Document.Description;

    /// <summary>A signal whose latest sample is older than this counts as missing.</summary>
    public TimeSpan StaleAfter { get; }

    /// <summary>Embedding signal used for <c>minNovelty</c>.</summary>
    public string EmbeddingSignal => Document.EmbeddingSignal;

    public IReadOnlyList<CompiledTrigger> Triggers { get; }

    /// <summary>Every signal some trigger reads, with the kind it was checked against (index = slot).</summary>
    public IReadOnlyList<(string Name, SignalKind Kind)> Signals { get; }

    public TriggerLimits Limits { get; }

    public CompiledTrigger? Find(string id) => Triggers.FirstOrDefault(t => t.Id == id);
}
