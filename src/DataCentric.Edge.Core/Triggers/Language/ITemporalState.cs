namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>Bounded per-trigger memory of one temporal or window call in a condition.</summary>
internal interface ITemporalState
{
    /// <summary>Forgets the past, e.g. when a signal went missing and continuity is broken.</summary>
    void Reset();
}

/// <summary>What a state needs to size itself when an engine instantiates a trigger.</summary>
internal readonly record struct TemporalContext(int HistorySamples, int NoveltyReferenceSize);
