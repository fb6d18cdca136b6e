using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>
/// The wire form of a trigger set: camelCase names, enums as <c>wifiOnly</c>, nulls left out.
/// Reading goes through <see cref="TriggerSetCompiler"/> so that errors carry positions.
/// </summary>
public static class TriggerSetJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new CamelCaseEnumConverter<UploadPolicy>() },
        WriteIndented = true,
        TypeInfoResolver = TriggerSetJsonContext.Default,
    };

    public static string Serialize(TriggerSetDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.Serialize(document, (JsonTypeInfo<TriggerSetDocument>)Options.GetTypeInfo(typeof(TriggerSetDocument)));
    }
}
