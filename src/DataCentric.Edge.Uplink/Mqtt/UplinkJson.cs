using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataCentric.Edge.Uplink.Mqtt;

/// <summary>The JSON conventions of the MQTT contract: camelCase, enums as strings.</summary>
public static class UplinkJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
