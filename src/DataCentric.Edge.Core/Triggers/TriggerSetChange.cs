namespace DataCentric.Edge.Core.Triggers;

/// <summary>What a follower of <see cref="ActiveTriggerSet"/> hears: the set now active, and how it got there.</summary>
public sealed record TriggerSetChange(CompiledTriggerSet Set, TriggerSetChangeKind Kind);

public enum TriggerSetChangeKind
{
    /// <summary>The set active when the follower subscribed.</summary>
    Current,

    /// <summary>A set with a higher version replaced the active one.</summary>
    Activated,

    /// <summary>The device went back to the set before the active one.</summary>
    RolledBack,
}
