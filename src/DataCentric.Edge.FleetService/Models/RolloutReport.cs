using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>
/// Where a rollout stands, from the devices' acks for its version: per stage, the devices it reached
/// (its device targets; for a published fleet stage every other known device of the fleet; for a
/// published group stage the devices that acked and belong to no other stage, since the fleet does not
/// know group members), each device's step and probation figures, and the counts.
/// </summary>
internal static class RolloutReport
{
    /// <summary>The first device of a published stage that rolled the release back or refused it, with why; null when none did.</summary>
    public static (string Reason, DateTimeOffset At)? HaltCause(RolloutPlan plan, IReadOnlyList<CatalogModelRelease> acks, IReadOnlyList<string> fleetDevices)
    {
        var stages = Members(plan, acks, fleetDevices);
        var failed = stages.Take(plan.CurrentStage + 1).SelectMany(s => s)
            .Select(d => Ack(plan, acks, d))
            .Where(a => a is { Stage: "rolledBack" or "refused" })
            .OrderBy(a => a!.At).FirstOrDefault();
        if (failed is null)
        {
            return null;
        }

        var why = failed.Reasons.Count == 0 ? "no reason given" : string.Join("; ", failed.Reasons.Select(r => $"{r.Reason}: {r.Message}"));
        var verb = failed.Stage == "rolledBack" ? "rolled back" : "refused";
        return ($"{failed.Device} {verb} {plan.Name} v{plan.Version}: {why}", failed.At);
    }

    public static ApiRollout Of(RolloutPlan plan, IReadOnlyList<CatalogModelRelease> acks, IReadOnlyList<string> fleetDevices)
    {
        var members = Members(plan, acks, fleetDevices);
        var stages = new List<ApiRolloutStage>();
        for (var i = 0; i < plan.Stages.Count; i++)
        {
            var stage = plan.Stages[i];
            var devices = members[i].Select(d => Ack(plan, acks, d) is { } a
                ? new ApiRolloutDevice(d, a.Stage, a.Reasons.ToApi(), a.Probation?.ToApi(), a.At)
                : new ApiRolloutDevice(d, null, [], null, null)).ToList();
            int Count(string s) => devices.Count(d => d.Stage == s);
            var final = Count("active") + Count("rolledBack") + Count("refused");
            var knowsMembers = stage.Targets.All(t => t.Scope != "group");
            stages.Add(new ApiRolloutStage(
                i, [.. stage.Targets.Select(t => t.ToString())], stage.PublishedAt, Count("active"), Count("rolledBack"), Count("refused"),
                knowsMembers ? devices.Count - final : null, devices));
        }

        return new ApiRollout(
            plan.Id, plan.Fleet, plan.Name, plan.Version, plan.Sha256, plan.State, plan.HaltReason, plan.CanaryPercent, plan.CurrentStage,
            stages, plan.CreatedBy, plan.CreatedAt);
    }

    /// <summary>The devices of each stage (see the class summary), each device in one stage only.</summary>
    private static List<List<string>> Members(RolloutPlan plan, IReadOnlyList<CatalogModelRelease> acks, IReadOnlyList<string> fleetDevices)
    {
        var targeted = plan.Stages.SelectMany(s => s.Targets).Where(t => t.Scope == "device").Select(t => t.Name!).ToHashSet(StringComparer.Ordinal);
        var acked = acks.Where(a => a.Version == plan.Version).Select(a => a.Device).Distinct(StringComparer.Ordinal).ToList();
        var placed = new HashSet<string>(targeted, StringComparer.Ordinal);
        var members = new List<List<string>>();
        foreach (var stage in plan.Stages)
        {
            var list = stage.Targets.Where(t => t.Scope == "device").Select(t => t.Name!).ToList();
            if (stage.PublishedAt is not null)
            {
                var wide = stage.Targets.Any(t => t.Scope == "fleet") ? fleetDevices.Concat(acked)
                    : stage.Targets.Any(t => t.Scope == "group") ? acked
                    : [];
                foreach (var device in wide.OrderBy(d => d, StringComparer.Ordinal))
                {
                    if (placed.Add(device))
                    {
                        list.Add(device);
                    }
                }
            }

            members.Add(list);
        }

        return members;
    }

    private static CatalogModelRelease? Ack(RolloutPlan plan, IReadOnlyList<CatalogModelRelease> acks, string device) =>
        acks.FirstOrDefault(a => a.Version == plan.Version && a.Device == device);
}
