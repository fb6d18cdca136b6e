using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>The retained release topics of the contract (CONTRACT.md, "Model releases"), one per target and model name.</summary>
internal static class ModelReleaseTopics
{
    /// <exception cref="ArgumentException">The fleet, device or group is not a valid topic segment.</exception>
    public static string Of(string fleet, TriggerSetTarget target, string name) => target.Scope switch
    {
        TargetScope.Device => $"{new FleetTopics(fleet, target.Name!).Prefix}/models/{name}/release",
        TargetScope.Group => $"{GroupPrefix(fleet, target.Name!)}/models/{name}/release",
        _ => $"{FleetPrefix(fleet)}/models/{name}/release",
    };

    // The trigger-set topic builders check the fleet and group segments; the model topics share their prefix.
    private static string GroupPrefix(string fleet, string group) => FleetTopics.GroupTriggerSet(fleet, group)[..^"/config/triggers".Length];

    private static string FleetPrefix(string fleet) => FleetTopics.FleetTriggerSetOf(fleet)[..^"/config/triggers".Length];
}
