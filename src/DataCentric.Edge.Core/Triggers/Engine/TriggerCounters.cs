namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>What one trigger did since its engine started: cumulative, kept by id across set swaps and rollbacks.</summary>
/// <param name="Evaluations">Ticks on which the trigger was enabled and considered.</param>
/// <param name="Fires">Accepted fires (dry-run fires included; see <paramref name="DryRunFires"/>).</param>
/// <param name="MissingSignal">Ticks skipped because a signal it reads was never published or is stale.</param>
/// <param name="SuppressedDuplicate">Fires dropped by <c>minNovelty</c> as near-duplicates of a recent clip.</param>
/// <param name="DisabledReason">Why the trigger is not evaluated (a signal it reads is unavailable), or null.</param>
public readonly record struct TriggerCounters(
    string TriggerId,
    long Evaluations,
    long RisingEdges,
    long Fires,
    long DryRunFires,
    long SuppressedCooldown,
    long SuppressedBudget,
    long SuppressedSampling,
    long SuppressedDuplicate,
    long MissingSignal,
    string? DisabledReason = null);

/// <summary>The counters of every trigger of one active set, as <see cref="TriggerEngine.ReadCounters"/> read them.</summary>
/// <param name="TriggerSetVersion">The version of the set the triggers belong to.</param>
/// <param name="CountingSince">When the engine started counting (the counts are cumulative since then).</param>
public sealed record TriggerCountersSnapshot(int TriggerSetVersion, DateTimeOffset CountingSince, IReadOnlyList<TriggerCounters> Triggers);
