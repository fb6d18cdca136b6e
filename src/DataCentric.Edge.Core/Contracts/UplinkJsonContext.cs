using System.Text.Json.Serialization;

namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// Serialisation code for every type of the MQTT contract, generated at build time: the agent is
/// published trimmed, where reflection-based JSON is off. A type missing here fails with
/// "JsonTypeInfo metadata ... was not provided" on its first use.
/// </summary>
[JsonSerializable(typeof(CommandRequest))]
[JsonSerializable(typeof(CommandReply))]
[JsonSerializable(typeof(PingResult))]
[JsonSerializable(typeof(List<EventSummary>))]
[JsonSerializable(typeof(EventSummary))]
[JsonSerializable(typeof(List<ClipSummary>))]
[JsonSerializable(typeof(PullResult))]
[JsonSerializable(typeof(PullWindowResult))]
[JsonSerializable(typeof(PinResult))]
[JsonSerializable(typeof(RollbackResult))]
[JsonSerializable(typeof(DriveRecordingResult))]
[JsonSerializable(typeof(ClipManifest))]
[JsonSerializable(typeof(ClipAck))]
[JsonSerializable(typeof(TriggerSetEnvelope))]
[JsonSerializable(typeof(TriggerSetPayload))]
[JsonSerializable(typeof(TriggerSetAck))]
[JsonSerializable(typeof(ModelReleasePayload))]
[JsonSerializable(typeof(ModelReleaseAck))]
[JsonSerializable(typeof(ModelActivationOutcome))]
[JsonSerializable(typeof(ModelRollbackResult))]
[JsonSerializable(typeof(DeviceStatus))]
[JsonSerializable(typeof(TriggerCountersReport))]
public sealed partial class UplinkJsonContext : JsonSerializerContext;
