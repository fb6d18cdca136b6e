using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DataCentric.Edge.Core.Configuration;

/// <summary>
/// The JSON Schema (2020-12) of a configuration, made from the same options types the validator
/// binds (<see cref="ConfigurationValidator"/>), so editors can check a config file as it is written.
/// </summary>
[RequiresUnreferencedCode("Walks the option types by reflection; only edgectl, which is not trimmed, writes the schema.")]
public static class ConfigurationSchema
{
    /// <summary>TimeSpan as the binder parses it: [-][d.]hh:mm[:ss[.fffffff]].</summary>
    public const string DurationPattern = @"^-?(\d+\.)?\d{1,2}:\d{2}(:\d{2}(\.\d{1,7})?)?$";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ToJson(SchemaHeader header, IReadOnlyList<ConfigSection> sections) => Build(header, sections).ToJsonString(Indented) + "\n";

    public static JsonObject Build(SchemaHeader header, IReadOnlyList<ConfigSection> sections)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(sections);
        var properties = new JsonObject { ["$schema"] = new JsonObject { ["type"] = "string" } };
        foreach (var (name, description) in header.DescribedSections)
        {
            properties[name] = new JsonObject { ["type"] = "object", ["description"] = description };
        }

        foreach (var section in sections)
        {
            // "Sources:SyntheticScene" nests under "Sources".
            var parts = section.Name.Split(':');
            var parent = properties;
            foreach (var part in parts[..^1])
            {
                if (parent[part] is not JsonObject group)
                {
                    group = new JsonObject { ["type"] = "object" };
                    parent[part] = group;
                }

                if (group["properties"] is not JsonObject children)
                {
                    children = [];
                    group["properties"] = children;
                }

                parent = children;
            }

            parent[parts[^1]] = ForClass(section.OptionsType);
        }

        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = header.Id,
            ["title"] = header.Title,
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
    }

    private static JsonObject ForClass(Type type)
    {
        var properties = new JsonObject();
        var required = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var schema = ForType(property.PropertyType);
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                Annotate(schema, attribute);
            }

            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(property.Name);
            }

            properties[property.Name] = schema;
        }

        var result = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = properties };
        if (required.Count > 0)
        {
            // Required means "not empty" once bound; the defaults fill what a file leaves out.
            result["description"] = $"Must not be empty when set: {string.Join(", ", required)}.";
        }

        return result;
    }

    private static JsonObject ForType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(short) || type == typeof(byte))
        {
            return new JsonObject { ["type"] = "integer" };
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return new JsonObject { ["type"] = "number" };
        }

        if (type == typeof(TimeSpan))
        {
            return new JsonObject { ["type"] = "string", ["pattern"] = DurationPattern, ["description"] = "Duration [d.]hh:mm:ss[.fffffff]" };
        }

        if (type.IsEnum)
        {
            return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. Enum.GetNames(type).Select(n => JsonValue.Create(n))]) };
        }

        var dictionary = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ForType(dictionary.GetGenericArguments()[1]) };
        }

        var list = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        if (list is not null && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return new JsonObject { ["type"] = "array", ["items"] = ForType(list.GetGenericArguments()[0]) };
        }

        return ForClass(type);
    }

    private static void Annotate(JsonObject schema, ValidationAttribute attribute)
    {
        switch (attribute)
        {
            case RangeAttribute range:
                schema["minimum"] = JsonValue.Create(Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
                schema["maximum"] = JsonValue.Create(Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case RegularExpressionAttribute regex:
                schema["pattern"] = regex.Pattern;
                break;
            case AllowedValuesAttribute allowed:
                schema["enum"] = new JsonArray([.. allowed.Values.Select(v => JsonValue.Create(v?.ToString()))]);
                break;
            case RequiredAttribute when schema["type"]?.GetValue<string>() == "string":
                schema["minLength"] = 1;
                break;
            default:
                break;
        }
    }
}

/// <summary>What a schema says of itself, and the top-level sections it describes but does not bind (e.g. <c>Logging</c>).</summary>
public sealed record SchemaHeader(string Id, string Title, IReadOnlyList<(string Name, string Description)> DescribedSections);
