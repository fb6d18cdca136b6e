namespace DataCentric.Edge.Core.Contracts;

/// <summary>One trigger of a set that fired, with what the recorder needs to cut its clip.</summary>
public sealed record TriggerHit(string TriggerId, string Expression, int Priority, TimeSpan Pre, TimeSpan Post);

/// <summary>
/// A moment the trigger engine found interesting. Triggers that fire on the same tick are one
/// event listing them all. Dry-run events are catalogued but not recorded.
/// </summary>
public sealed record TriggerEvent(
    string EventId,
    IReadOnlyList<TriggerHit> Triggers,
    TimeSpan Time,
    DateTimeOffset WallClock,
    int TriggerSetVersion,
    bool DryRun)
{
    public int Priority => Triggers.Count == 0 ? 0 : Triggers.Max(t => t.Priority);

    public TimeSpan Pre => Triggers.Count == 0 ? TimeSpan.Zero : Triggers.Max(t => t.Pre);

    public TimeSpan Post => Triggers.Count == 0 ? TimeSpan.Zero : Triggers.Max(t => t.Post);
}
