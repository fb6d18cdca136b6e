namespace DataCentric.Edge.Fleet.Api;

/// <summary>One model on a device: what runs now and the last release step the device reported for it.</summary>
/// <param name="ActiveVersion">The version running (0: none of this name yet).</param>
/// <param name="ActiveSha256">The running file's SHA-256; null when the device did not say.</param>
public sealed record ApiDeviceModel(string Name, int ActiveVersion, string? ActiveSha256, ApiModelRelease LastRelease);

/// <summary>A device's latest step with one release (its retained models/{name}/ack).</summary>
/// <param name="Stage">downloading, refused, probation, active or rolledBack.</param>
/// <param name="Reasons">Why it was refused or rolled back (empty otherwise).</param>
/// <param name="At">The device's time of the step.</param>
public sealed record ApiModelRelease(int Version, string? Sha256, string Stage, IReadOnlyList<ApiModelReason> Reasons, DateTimeOffset At)
{
    public long? BytesReceived { get; init; }

    public ApiProbation? Probation { get; init; }
}

/// <summary>A reason name from the contract (e.g. overMemoryLimit, hashMismatch) and the device's message.</summary>
public sealed record ApiModelReason(string Reason, string Message);

/// <summary>What the device's probation measured: latency percentiles and resident memory.</summary>
public sealed record ApiProbation(int Frames, int Errors, double LatencyP50Ms, double LatencyP95Ms, long ResidentBytes, long? MemoryLimitBytes);

/// <summary><c>GET /api/models/{name}</c>: per version, newest first, where it stands on the devices.</summary>
public sealed record ApiModelView(string Name, string? Fleet, IReadOnlyList<ApiModelVersion> Versions);

/// <param name="Running">Devices whose active version of the model is this one.</param>
/// <param name="RolledBack">Devices that took it into probation or service and rolled back, with why.</param>
/// <param name="Refused">Devices that refused it before loading, with why.</param>
/// <param name="InProgress">Devices still downloading it or in probation.</param>
public sealed record ApiModelVersion(
    int Version,
    string? Sha256,
    IReadOnlyList<ApiModelDevice> Running,
    IReadOnlyList<ApiModelDevice> RolledBack,
    IReadOnlyList<ApiModelDevice> Refused,
    IReadOnlyList<ApiModelDevice> InProgress);

/// <summary>A device's step with one version (for Running: its latest step with the model).</summary>
public sealed record ApiModelDevice(string Fleet, string Device, string Stage, IReadOnlyList<ApiModelReason> Reasons, ApiProbation? Probation, DateTimeOffset At);
