namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// The kinds of <see cref="TriggerCount"/> a device reports, after the engine's own counters
/// (Core/Triggers/Engine/TriggerCounters). Each is a column of the snapshots (Migrations/0002).
/// </summary>
public static class TriggerCountKinds
{
    public const string Evaluations = "evaluations";
    public const string Fires = "fires";
    public const string DryRunFires = "dryRunFires";
    public const string SuppressedCooldown = "suppressedCooldown";
    public const string SuppressedBudget = "suppressedBudget";
    public const string SuppressedSampling = "suppressedSampling";
    public const string SuppressedDuplicate = "suppressedDuplicate";
    public const string MissingSignal = "missingSignal";
}
