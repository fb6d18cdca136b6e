namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>
/// What one trigger id did for as long as its engine runs: cumulative and never reset, not by a newer
/// set and not by a rollback (which starts the gating state afresh, <see cref="TriggerLedger"/>), so
/// readers can take rates from differences.
/// </summary>
internal sealed class TriggerTally(string triggerId)
{
    // Only the engine's tick thread writes the counters (plain increments: an atomic one per
    // trigger per tick cost more than the evaluation); other threads read them with Volatile.
    public long Evaluations;
    public long RisingEdges;
    public long Fires;
    public long DryRunFires;
    public long SuppressedCooldown;
    public long SuppressedBudget;
    public long SuppressedSampling;
    public long SuppressedDuplicate;
    public long MissingSignal;

    public string TriggerId { get; } = triggerId;

    public TriggerCounters Snapshot() => new(
        TriggerId,
        Volatile.Read(ref Evaluations),
        Volatile.Read(ref RisingEdges),
        Volatile.Read(ref Fires),
        Volatile.Read(ref DryRunFires),
        Volatile.Read(ref SuppressedCooldown),
        Volatile.Read(ref SuppressedBudget),
        Volatile.Read(ref SuppressedSampling),
        Volatile.Read(ref SuppressedDuplicate),
        Volatile.Read(ref MissingSignal));
}
