namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// Puts a downloaded, verified model release into service on the device: loads and warms it up
/// beside the running model, runs its probation, swaps atomically and keeps the previous model for
/// rollback. The transfer side calls it once per complete release; the inference layer implements it.
/// </summary>
public interface IModelActivator
{
    /// <param name="release">The signed manifest the file was checked against.</param>
    /// <param name="verifiedModelFile">The complete file, its size and SHA-256 already checked; the activator may move it.</param>
    Task<ModelActivationOutcome> ActivateAsync(ModelReleasePayload release, string verifiedModelFile, CancellationToken cancellationToken);

    /// <summary>Puts the model that ran before the last swap of <paramref name="modelName"/> back into service (a fleet manager's rollback).</summary>
    Task<ModelActivationOutcome> RollBackAsync(string modelName, CancellationToken cancellationToken);

    /// <summary>
    /// The release of <paramref name="modelName"/> in service now, from the activator's own record
    /// (the one record of what runs: the transfer side keeps none); null while its configured file runs.
    /// </summary>
    RunningRelease? RunningOf(string modelName);

    /// <summary>
    /// Releases the agent took out of service as it started (a crash loop, a lost file) whose
    /// rolled-back ack has not reached the fleet yet. They are kept across restarts until
    /// <see cref="StartupRollbackReported"/> says the ack went out.
    /// </summary>
    IReadOnlyList<ModelStartupRollback> UnreportedStartupRollbacks();

    /// <summary>The rolled-back ack of <paramref name="rollback"/> is on the broker: it is not reported again.</summary>
    void StartupRollbackReported(ModelStartupRollback rollback);
}

/// <summary>A release in service on the device: its version and the SHA-256 of its file.</summary>
public sealed record RunningRelease(int Version, string Sha256);

/// <summary>
/// A release a start took out of service before loading it, for the transfer side to report in the
/// model's ack (stage RolledBack, reason <see cref="ModelActivationOutcome.Failure"/>): the agent
/// kept dying after the swap (<see cref="ModelActivationFailure.CrashLoop"/>), or the released file
/// was lost or torn, e.g. by power loss mid-swap (<see cref="ModelActivationFailure.LoadFailed"/>).
/// </summary>
/// <param name="Name">The configured model's name.</param>
/// <param name="Version">The release taken out of service.</param>
/// <param name="Sha256">Its file's hash.</param>
/// <param name="Outcome">Active false, the failure and a message that says why.</param>
/// <param name="ActiveVersion">The release that runs now; 0 when it is the configured file.</param>
/// <param name="ActiveSha256">Its hash; null for the configured file (the running model's status names it once loaded).</param>
public sealed record ModelStartupRollback(string Name, int Version, string Sha256, ModelActivationOutcome Outcome, int ActiveVersion, string? ActiveSha256);

/// <summary>What activation did: the release runs now, or the previous model kept running, with why.</summary>
public sealed record ModelActivationOutcome(bool Active, ModelActivationFailure? Failure, string? Message, ModelProbationReport? Probation);

/// <summary>Why a verified release was not put into service (or was rolled back), camelCase on the wire.</summary>
public enum ModelActivationFailure
{
    /// <summary>ONNX Runtime refused the file, or no configured model has the release's name.</summary>
    LoadFailed,

    /// <summary>Loading it beside the running model would pass the unit's memory limit.</summary>
    OverMemoryLimit,

    /// <summary>Runs failed during probation.</summary>
    ProbationErrors,

    /// <summary>Inference during probation took longer than the release's latency budget allows.</summary>
    OverLatencyBudget,

    /// <summary>The agent kept dying after the swap; the previous model was restored at start.</summary>
    CrashLoop,
}

/// <summary>What the probation measured on the device, for the ack and the fleet view.</summary>
public sealed record ModelProbationReport(int Frames, int Errors, double LatencyP50Ms, double LatencyP95Ms, long ResidentBytes, long? MemoryLimitBytes);

/// <summary>Where one model release stands on a device; retained on the device's model ack topic.</summary>
public enum ModelReleaseStage
{
    Downloading,
    Refused,
    Probation,
    Active,
    RolledBack,
}

/// <summary>
/// The device's answer to a model release, retained: its stage, every reason when refused or
/// rolled back (reason names are the camelCase refusal or <see cref="ModelActivationFailure"/> names),
/// and which version of the model runs now.
/// </summary>
public sealed record ModelReleaseAck(
    string Fleet,
    string Device,
    string Name,
    int Version,
    string Sha256,
    ModelReleaseStage Stage,
    IReadOnlyList<ModelReleaseAckReason> Reasons,
    int ActiveVersion,
    string? ActiveSha256,
    DateTimeOffset At)
{
    /// <summary>Download progress while <see cref="ModelReleaseStage.Downloading"/>.</summary>
    public long? BytesReceived { get; init; }

    public ModelProbationReport? Probation { get; init; }
}

public sealed record ModelReleaseAckReason(string Reason, string Message);
