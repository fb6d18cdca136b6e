using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataCentric.Edge.Fleet.Api;

/// <summary>
/// Every type of the fleet HTTP API on the wire, generated at build time (dce-fleet is trimmed; no
/// reflection): camelCase, as the MQTT contract. dce-fleet writes with it and edgectl reads with it.
/// </summary>
// Required constructor parameters and non-nullable references are enforced when reading, so a body
// without "device" is refused with the field's name instead of becoming a null.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ApiClip))]
[JsonSerializable(typeof(ApiPage<ApiClip>))]
[JsonSerializable(typeof(ApiPage<ApiEvent>))]
[JsonSerializable(typeof(ApiPage<ApiDevice>))]
[JsonSerializable(typeof(IReadOnlyList<ApiTriggerCount>))]
[JsonSerializable(typeof(ApiTriggerPush))]
[JsonSerializable(typeof(ApiPull))]
[JsonSerializable(typeof(IReadOnlyList<ApiPull>))]
[JsonSerializable(typeof(ApiNewPull))]
[JsonSerializable(typeof(ApiPullCancel))]
[JsonSerializable(typeof(ApiClipLink))]
[JsonSerializable(typeof(ApiHealth))]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(ApiModelView))]
[JsonSerializable(typeof(ApiModelComparison))]
[JsonSerializable(typeof(ApiRolloutRequest))]
[JsonSerializable(typeof(ApiCanaries))]
[JsonSerializable(typeof(ApiRollout))]
[JsonSerializable(typeof(IReadOnlyList<ApiRollout>))]
public sealed partial class FleetApiJsonContext : JsonSerializerContext;
