using System.Buffers;
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

    /// <summary>Reads a payload of the contract; null when it is not valid JSON of that shape.</summary>
    public static T? Deserialize<T>(ReadOnlySequence<byte> payload)
        where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            return JsonSerializer.Deserialize<T>(ref reader, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
