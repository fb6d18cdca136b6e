using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>The receiver index's line format (index.jsonl), generated at build time; camelCase like the MQTT contract.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReceivedClipRecord))]
internal sealed partial class ReceivedClipJsonContext : JsonSerializerContext;
