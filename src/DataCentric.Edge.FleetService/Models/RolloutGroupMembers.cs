using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>
/// The devices the fleet can place in a group for one model. The fleet does not know group members
/// (a device reads its groups from its own config); it sees them when they ack a release that a
/// published rollout stage sent to the group: the devices that acked that rollout's version and were
/// not one of its device targets (as <see cref="RolloutReport"/> places them).
/// </summary>
internal static class RolloutGroupMembers
{
    public static IReadOnlyCollection<string> Of(string group, IReadOnlyList<CatalogRollout> rollouts, IReadOnlyList<CatalogModelRelease> acks)
    {
        var members = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var plan in rollouts.Select(r => RolloutPlan.FromDocument(r.Document)))
        {
            var targets = plan.Stages.SelectMany(s => s.Targets).ToList();
            if (!plan.Stages.Any(s => s.PublishedAt is not null && s.Targets.Any(t => t.Scope == "group" && t.Name == group)))
            {
                continue;
            }

            var devices = targets.Where(t => t.Scope == "device").Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            members.UnionWith(acks.Where(a => a.Fleet == plan.Fleet && a.Version == plan.Version && !devices.Contains(a.Device)).Select(a => a.Device));
        }

        return members;
    }
}
