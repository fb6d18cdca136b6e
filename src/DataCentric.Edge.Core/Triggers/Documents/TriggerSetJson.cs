using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

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
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    [RequiresUnreferencedCode("Reflection-based JSON; for tools and tests, not the trimmed agent.")]
    public static string Serialize(TriggerSetDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.Serialize(document, Options);
    }
}
