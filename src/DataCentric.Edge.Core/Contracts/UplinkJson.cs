using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Core.Contracts;

/// <summary>The JSON conventions of the MQTT contract: camelCase, enums as strings.</summary>
public static class UplinkJson
{
    /// <summary>The contract's options; types resolve through the generated <see cref="UplinkJsonContext"/>.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// The generated serialiser of one contract type under <see cref="Options"/>; the trimmer can
    /// follow these calls, where it cannot follow <c>JsonSerializer.Serialize&lt;T&gt;(value, options)</c>.
    /// </summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>Reads a payload of the contract; null when it is not valid JSON of that shape.</summary>
    public static T? Deserialize<T>(ReadOnlySequence<byte> payload)
        where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            return JsonSerializer.Deserialize(ref reader, TypeInfo<T>());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Every enum of the contract, each named (UplinkJsonEnumTests walks the contract for them).
            Converters =
            {
                new CamelCaseEnumConverter<ClipAckStatus>(),
                new CamelCaseEnumConverter<ComponentState>(),
                new CamelCaseEnumConverter<ModelActivationFailure>(),
                new CamelCaseEnumConverter<ModelReleaseStage>(),
                new CamelCaseEnumConverter<TargetScope>(),
                new CamelCaseEnumConverter<TriggerSetDecision>(),
                new CamelCaseEnumConverter<TriggerSetFormat>(),
                new CamelCaseEnumConverter<UploadState>(),
            },
            TypeInfoResolver = UplinkJsonContext.Default,
        };
        options.MakeReadOnly();
        return options;
    }
}
