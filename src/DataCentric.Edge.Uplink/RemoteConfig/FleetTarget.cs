using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>Whether something the fleet pushed (a trigger set, a model release) is for this device.</summary>
public static class FleetTarget
{
    public static bool IsFor(TriggerSetTarget target, string device, IReadOnlyCollection<string> groups)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(groups);
        return target.Scope switch
        {
            TargetScope.Device => target.Name == device,
            TargetScope.Group => target.Name is not null && groups.Contains(target.Name),
            TargetScope.Fleet => true,
            _ => false,
        };
    }

    /// <summary>The refusal when <see cref="IsFor"/> is false.</summary>
    public static string NotFor(TriggerSetTarget target, string device, IReadOnlyCollection<string> groups)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(groups);
        return $"targets {target.Scope.ToString().ToLowerInvariant()} '{target.Name}', not this device ({device}, groups: {string.Join(", ", groups)})";
    }
}
