using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>
/// Staged rollouts of a signed model release. The service plans and publishes; it never signs: each
/// stage is a set of envelopes the operator signed (one per canary device, then a group or the fleet).
/// A stage is published retained through the <see cref="OperatorLink"/> only on start (the canaries)
/// or on promote. From the moment the catalog holds a rolled-back or refused ack of the release from a
/// device of a published stage, the rollout is halted with that device's reason and promote is
/// refused; what was published stays published (the devices decide and roll back by themselves).
/// </summary>
internal sealed class ModelRollouts(IModelReleases releases, IFleetQueries queries, OperatorLink link, TimeProvider time, ILogger<ModelRollouts> logger)
{
    public async Task<ApiCanaries> CanariesAsync(string fleet, int percent, CancellationToken cancellationToken)
    {
        if (percent is < 1 or > 100)
        {
            throw new ApiInputException($"query parameter 'percent': {percent} must be 1-100");
        }

        var devices = await FleetDevicesAsync(fleet, cancellationToken).ConfigureAwait(false);
        return new ApiCanaries(fleet, percent, devices.Count, CanaryPicker.Pick(fleet, devices, percent));
    }

    /// <summary>Records the plan, then publishes its first stage (the canaries).</summary>
    public async Task<RolloutAnswer> StartAsync(string name, ApiRolloutRequest request, string caller, CancellationToken cancellationToken)
    {
        var (release, stages) = RolloutEnvelopes.Read(name, request);
        var canaries = await CanariesAsync(release.Fleet, request.CanaryPercent, cancellationToken).ConfigureAwait(false);
        if (canaries.Devices.Count == 0)
        {
            return RolloutAnswer.Conflict($"fleet '{release.Fleet}' has no known device to pick canaries from");
        }

        var targeted = stages[0].Targets.Select(t => t.Name!).ToHashSet(StringComparer.Ordinal);
        var missing = canaries.Devices.Where(d => !targeted.Contains(d)).ToList();
        var extra = targeted.Where(d => !canaries.Devices.Contains(d, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            throw new ApiInputException(
                $"field 'stages[0]': the canaries of {request.CanaryPercent}% of fleet '{release.Fleet}' are {string.Join(", ", canaries.Devices)}" +
                (missing.Count > 0 ? $"; no envelope for {string.Join(", ", missing)}" : string.Empty) +
                (extra.Count > 0 ? $"; not canaries: {string.Join(", ", extra)}" : string.Empty));
        }

        var open = (await releases.ListRolloutsAsync(release.Fleet, name, cancellationToken).ConfigureAwait(false))
            .Select(r => RolloutPlan.FromDocument(r.Document)).FirstOrDefault(p => p.State is RolloutPlan.Planned or RolloutPlan.Running);
        if (open is not null)
        {
            return RolloutAnswer.Conflict($"rollout {open.Id} of {name} v{open.Version} is still {open.State}: halt it first");
        }

        var now = time.GetUtcNow();
        var plan = new RolloutPlan(
            "r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)), release.Fleet, name, release.Version, release.Sha256.ToLowerInvariant(),
            request.CanaryPercent, stages, -1, RolloutPlan.Planned, null, null, caller, now);
        await SaveAsync(plan, 0, cancellationToken).ConfigureAwait(false);
        RolloutLog.Planned(logger, plan.Id, name, plan.Version, plan.Fleet, caller, stages.Count, string.Join(",", canaries.Devices));
        return await PublishNextAsync(plan, 1, caller, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rollout with its stages' state; halts it first when a device rolled back or refused.</summary>
    public async Task<RolloutAnswer> GetAsync(string name, string id, CancellationToken cancellationToken)
    {
        var held = await LoadAsync(name, id, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return RolloutAnswer.NotFound($"no rollout '{id}' of model '{name}'");
        }

        var (plan, _, report) = await ObserveAsync(held.Value.Plan, held.Value.Revision, cancellationToken).ConfigureAwait(false);
        return RolloutAnswer.Ok(plan, report);
    }

    public async Task<IReadOnlyList<ApiRollout>> ListAsync(string name, string? fleet, CancellationToken cancellationToken)
    {
        var rollouts = await releases.ListRolloutsAsync(fleet, name, cancellationToken).ConfigureAwait(false);
        var answers = new List<ApiRollout>();
        foreach (var r in rollouts)
        {
            answers.Add((await ObserveAsync(RolloutPlan.FromDocument(r.Document), r.Revision, cancellationToken).ConfigureAwait(false)).Report);
        }

        return answers;
    }

    /// <summary>
    /// Publishes the next stage: refused when the rollout is halted or complete, and (unless
    /// <paramref name="force"/>) while devices of the current stage have not finished probation.
    /// </summary>
    public async Task<RolloutAnswer> PromoteAsync(string name, string id, bool force, string caller, CancellationToken cancellationToken)
    {
        var held = await LoadAsync(name, id, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return RolloutAnswer.NotFound($"no rollout '{id}' of model '{name}'");
        }

        var (plan, revision, report) = await ObserveAsync(held.Value.Plan, held.Value.Revision, cancellationToken).ConfigureAwait(false);
        if (plan.State == RolloutPlan.Halted)
        {
            return RolloutAnswer.Conflict($"rollout {id} is halted: {plan.HaltReason}");
        }

        if (plan.CurrentStage + 1 >= plan.Stages.Count)
        {
            return RolloutAnswer.Conflict($"rollout {id} is complete: all {plan.Stages.Count} stages are published");
        }

        if (plan.CurrentStage >= 0 && !force && report.Stages[plan.CurrentStage] is { Pending: > 0 } current)
        {
            var waiting = current.Devices.Where(d => d.Stage is null or "downloading" or "probation").Select(d => $"{d.Device} ({d.Stage ?? "no ack"})");
            return RolloutAnswer.Conflict(
                $"stage {plan.CurrentStage} has {current.Pending} device(s) without a final step: {string.Join(", ", waiting)}; wait, or promote with force=true");
        }

        return await PublishNextAsync(plan, revision, caller, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RolloutAnswer> HaltAsync(string name, string id, string? reason, string caller, CancellationToken cancellationToken)
    {
        var held = await LoadAsync(name, id, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return RolloutAnswer.NotFound($"no rollout '{id}' of model '{name}'");
        }

        var (plan, revision, _) = await ObserveAsync(held.Value.Plan, held.Value.Revision, cancellationToken).ConfigureAwait(false);
        if (plan.State != RolloutPlan.Halted)
        {
            var why = $"halted by {caller}{(string.IsNullOrWhiteSpace(reason) ? string.Empty : $": {reason}")}";
            plan = plan with { State = RolloutPlan.Halted, HaltReason = why, HaltedAt = time.GetUtcNow() };
            if (!await SaveAsync(plan, revision, cancellationToken).ConfigureAwait(false))
            {
                return RolloutAnswer.Conflict($"rollout {id} changed meanwhile; ask again");
            }

            RolloutLog.Halted(logger, id, why);
        }

        var (_, _, report) = await ObserveAsync(plan, revision + 1, cancellationToken).ConfigureAwait(false);
        return RolloutAnswer.Ok(plan, report);
    }

    private async Task<RolloutAnswer> PublishNextAsync(RolloutPlan plan, long revision, string caller, CancellationToken cancellationToken)
    {
        if (!link.IsConfigured)
        {
            return RolloutAnswer.Unavailable($"rollout {plan.Id} is recorded but not published: {OperatorLink.NotConfiguredReason}");
        }

        var next = plan.CurrentStage + 1;
        var stage = plan.Stages[next];
        for (var i = 0; i < stage.Targets.Count; i++)
        {
            try
            {
                var client = await link.GetClientAsync(cancellationToken).ConfigureAwait(false);
                await client.PublishRetainedAsync(stage.Targets[i].Topic, Encoding.UTF8.GetBytes(stage.Envelopes[i]), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
            {
                // Retained: publishing the whole stage again on the next promote is harmless.
                RolloutLog.PublishFailed(logger, plan.Id, next, stage.Targets[i].Topic, e);
                return RolloutAnswer.Unavailable($"rollout {plan.Id}: stage {next} not published on {stage.Targets[i].Topic}: {e.Message}; promote again");
            }
        }

        var stages = plan.Stages.ToList();
        stages[next] = stage with { PublishedAt = time.GetUtcNow() };
        var published = plan with
        {
            Stages = stages,
            CurrentStage = next,
            State = next == plan.Stages.Count - 1 ? RolloutPlan.Completed : RolloutPlan.Running,
        };
        if (!await SaveAsync(published, revision, cancellationToken).ConfigureAwait(false))
        {
            return RolloutAnswer.Conflict($"rollout {plan.Id} changed while stage {next} was published; ask again (the stage is out)");
        }

        RolloutLog.Published(logger, plan.Id, next, string.Join(", ", stage.Targets), caller);
        var (_, _, report) = await ObserveAsync(published, revision + 1, cancellationToken).ConfigureAwait(false);
        return RolloutAnswer.Ok(published, report, created: next == 0);
    }

    /// <summary>The plan after applying what the acks say (a halt is recorded once, at the failing ack's time), its revision and its report.</summary>
    private async Task<(RolloutPlan Plan, long Revision, ApiRollout Report)> ObserveAsync(RolloutPlan plan, long revision, CancellationToken cancellationToken)
    {
        var acks = await releases.ListModelReleasesAsync(plan.Fleet, plan.Name, null, cancellationToken).ConfigureAwait(false);
        var devices = await FleetDevicesAsync(plan.Fleet, cancellationToken).ConfigureAwait(false);
        if (plan.State is RolloutPlan.Running && RolloutReport.HaltCause(plan, acks, devices) is { } cause)
        {
            var halted = plan with { State = RolloutPlan.Halted, HaltReason = cause.Reason, HaltedAt = cause.At };
            if (await SaveAsync(halted, revision, cancellationToken).ConfigureAwait(false))
            {
                RolloutLog.Halted(logger, plan.Id, cause.Reason);
                (plan, revision) = (halted, revision + 1);
            }
            else if (await LoadAsync(plan.Name, plan.Id, cancellationToken).ConfigureAwait(false) is { } again)
            {
                (plan, revision) = again; // Someone else saved first (their halt or promote): report what is held.
            }
        }

        return (plan, revision, RolloutReport.Of(plan, acks, devices));
    }

    private async Task<(RolloutPlan Plan, long Revision)?> LoadAsync(string name, string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > CatalogGuard.MaxIdLength || id.Any(char.IsControl))
        {
            throw new ApiInputException($"route value 'id' '{id}': not a rollout id");
        }

        var held = await releases.GetRolloutAsync(id, cancellationToken).ConfigureAwait(false);
        return held is null || held.Name != name ? null : (RolloutPlan.FromDocument(held.Document), held.Revision);
    }

    private Task<bool> SaveAsync(RolloutPlan plan, long expectedRevision, CancellationToken cancellationToken) =>
        releases.SaveRolloutAsync(
            new CatalogRollout(plan.Id, plan.Fleet, plan.Name, plan.Version, expectedRevision + 1, plan.ToDocument(), plan.CreatedAt, time.GetUtcNow()),
            expectedRevision,
            cancellationToken);

    private async Task<List<string>> FleetDevicesAsync(string fleet, CancellationToken cancellationToken) =>
        [.. (await queries.ListDevicesAsync(fleet, cancellationToken).ConfigureAwait(false)).Select(d => d.Device)];
}

/// <summary>What a rollout action answers: the rollout, or a status code with why.</summary>
internal sealed record RolloutAnswer(int Status, ApiRollout? Rollout, string? Problem)
{
    public static RolloutAnswer Ok(RolloutPlan plan, ApiRollout report, bool created = false) =>
        new(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, report, null);

    public static RolloutAnswer NotFound(string why) => new(StatusCodes.Status404NotFound, null, why);

    public static RolloutAnswer Conflict(string why) => new(StatusCodes.Status409Conflict, null, why);

    public static RolloutAnswer Unavailable(string why) => new(StatusCodes.Status503ServiceUnavailable, null, why);
}
