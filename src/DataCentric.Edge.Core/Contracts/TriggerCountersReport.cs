namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// What each trigger of the active set has done, published every <c>Uplink:TriggerCountersInterval</c>
/// on <c>{device}/triggers/counters</c>. The counts are cumulative since <see cref="StartedAt"/> (when
/// the agent started counting) and never go back within it, not on a new set nor on a rollback: the
/// fleet takes rates from the differences between two reports, and a new <see cref="StartedAt"/> says
/// the agent restarted (counting from zero again). A lost report loses nothing but resolution.
/// </summary>
/// <param name="At">When the counters were read.</param>
/// <param name="StartedAt">When the agent started counting; changes only when it restarts.</param>
/// <param name="TriggerSetVersion">The active set the triggers listed belong to.</param>
/// <param name="IntervalSeconds">How often the device publishes this report.</param>
/// <param name="Counters">One entry per trigger of the active set, in the set's order.</param>
public sealed record TriggerCountersReport(
    string Fleet,
    string Device,
    DateTimeOffset At,
    DateTimeOffset StartedAt,
    int TriggerSetVersion,
    double IntervalSeconds,
    IReadOnlyList<TriggerCountersEntry> Counters);

/// <summary>One trigger's cumulative counts (see <see cref="TriggerCountersReport"/>).</summary>
/// <param name="Evaluations">Ticks on which the trigger was enabled and considered.</param>
/// <param name="Fires">Accepted fires, dry-run fires included.</param>
/// <param name="DryRunFires">Fires of a dry-run trigger: counted and logged, nothing recorded.</param>
/// <param name="SuppressedCooldown">Rising edges dropped because the trigger's cooldown had not passed.</param>
/// <param name="SuppressedBudget">Rising edges dropped by <c>maxPerHour</c> or <c>maxBytesPerDay</c>.</param>
/// <param name="SuppressedSampling">Rising edges dropped by <c>sampleRate</c>.</param>
/// <param name="SuppressedDuplicate">Rising edges dropped by <c>minNovelty</c> as near-duplicates of a recent clip.</param>
/// <param name="MissingSignal">Ticks skipped because a signal the trigger reads was never published or is stale.</param>
/// <param name="DisabledReason">Why the trigger is not evaluated at all (a signal it reads is unavailable), or null.</param>
public sealed record TriggerCountersEntry(
    string TriggerId,
    long Evaluations,
    long Fires,
    long DryRunFires,
    long SuppressedCooldown,
    long SuppressedBudget,
    long SuppressedSampling,
    long SuppressedDuplicate,
    long MissingSignal,
    string? DisabledReason);
