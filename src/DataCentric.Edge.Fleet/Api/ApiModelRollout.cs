using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Fleet.Api;

/// <summary>
/// <c>POST /api/models/{name}/rollouts</c>: a staged rollout of one release. The envelopes are signed
/// with their target inside, so the service cannot re-target them: the operator signs one envelope per
/// canary device (first stage) and one per later stage (a group, or the fleet). Every envelope must be
/// the same model, version and file.
/// </summary>
/// <param name="CanaryPercent">1–100: the first stage must target exactly the canaries the service picks for it.</param>
public sealed record ApiRolloutRequest(int CanaryPercent, IReadOnlyList<ApiRolloutStageRequest> Stages);

/// <summary>The signed envelopes of one stage, as <c>edgectl models sign</c> writes them.</summary>
public sealed record ApiRolloutStageRequest(IReadOnlyList<TriggerSetEnvelope> Envelopes);

/// <summary>
/// <c>GET /api/models/{name}/rollouts/canaries</c>: the devices a canary stage of <paramref name="Percent"/>
/// targets: the lowest SHA-256 of "fleet/device" among the fleet's known devices, at least one.
/// </summary>
public sealed record ApiCanaries(string Fleet, int Percent, int FleetDevices, IReadOnlyList<string> Devices);

/// <summary>A staged rollout and where each stage stands on the devices.</summary>
/// <param name="State">running (a stage is out), halted (a device rolled back or refused, or an operator halted it) or completed (the last stage is out).</param>
/// <param name="CurrentStage">The last stage published (0-based).</param>
public sealed record ApiRollout(
    string Id,
    string Fleet,
    string Name,
    int Version,
    string Sha256,
    string State,
    string? HaltReason,
    int CanaryPercent,
    int CurrentStage,
    IReadOnlyList<ApiRolloutStage> Stages,
    string CreatedBy,
    DateTimeOffset CreatedAt);

/// <param name="Targets">device:ID, group:NAME or fleet, one per envelope.</param>
/// <param name="Pending">Devices known to be targeted with no final step yet; null for a group stage (the fleet does not know group members).</param>
public sealed record ApiRolloutStage(
    int Index,
    IReadOnlyList<string> Targets,
    DateTimeOffset? PublishedAt,
    int Accepted,
    int RolledBack,
    int Refused,
    int? Pending,
    IReadOnlyList<ApiRolloutDevice> Devices);

/// <summary>One device of a stage: its step with the release (null stage: no ack yet), probation latency and RSS.</summary>
public sealed record ApiRolloutDevice(string Device, string? Stage, IReadOnlyList<ApiModelReason> Reasons, ApiProbation? Probation, DateTimeOffset? At);
