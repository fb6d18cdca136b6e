namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// The fleet's signed envelope, as a trigger set travels (retained on a config topic) and as a model
/// release does (<see cref="ModelReleasePayload"/>): the payload's exact bytes, base64, and an
/// ECDSA P-256 / SHA-256 signature over them (IEEE P1363, base64). The signature covers bytes, not
/// re-serialised JSON, so no canonical form is needed.
/// </summary>
public sealed record TriggerSetEnvelope(string KeyId, string Payload, string Signature);

/// <summary>What the fleet manager signed.</summary>
public sealed record TriggerSetPayload(
    string Contract,
    string Fleet,
    TriggerSetTarget Target,
    int Version,
    TriggerSetFormat Format,
    string Source,
    DateTimeOffset SignedAt);

/// <summary>Who a set is for: one device, a group of devices, or the whole fleet.</summary>
public sealed record TriggerSetTarget(TargetScope Scope, string? Name);

public enum TargetScope
{
    Device,
    Group,
    Fleet,
}

public enum TriggerSetFormat
{
    Yaml,
    Json,
}

/// <summary>The device's answer, retained on its config/ack topic: accepted, or rejected with every reason.</summary>
public sealed record TriggerSetAck(
    string Fleet,
    string Device,
    string Topic,
    TriggerSetDecision Decision,
    int? Version,
    string? KeyId,
    int ActiveVersion,
    IReadOnlyList<string> Errors,
    DateTimeOffset At)
{
    /// <summary>SHA-256 of the envelope decided on (hex), so the same push can be told apart from a re-signed one.</summary>
    public string? Sha256 { get; init; }
}

public enum TriggerSetDecision
{
    Accepted,
    Rejected,
}
