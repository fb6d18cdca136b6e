using System.Text.Json.Nodes;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// Puts the agent's configuration errors where they are in the file: every key the options schema
/// (firmware-config/agent-config.schema.json, made from the options types) does not know, with the
/// closest known name, and every validator error at its key (or the nearest enclosing one).
/// </summary>
internal static class ConfigFileDiagnostics
{
    private const string UnknownSection = ": unknown configuration section";
    private const string BinderUnknownKeys = "'ErrorOnUnknownConfiguration'";

    private static readonly Lazy<JsonObject> Schema = new(() => (JsonObject)JsonNode.Parse(AgentConfiguration.SchemaJson())!);

    /// <summary>One line per problem: <c>file:line:col: key: message</c> (no position when the key is not in this file).</summary>
    /// <param name="file">The file as it should be named in the lines.</param>
    /// <param name="positions">Its keys.</param>
    /// <param name="validatorErrors">What <see cref="AgentConfiguration.Validate"/> said about the configuration it is part of.</param>
    public static List<string> Describe(string file, JsonKeyPositions positions, IReadOnlyList<string> validatorErrors)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(validatorErrors);
        var lines = new List<string>();
        var unknown = UnknownKeys(positions);
        foreach (var (path, line, column, suggestion) in unknown)
        {
            var what = path.Contains(':', StringComparison.Ordinal) ? "unknown key" : "unknown configuration section";
            lines.Add($"{file}:{line}:{column}: {path}: {what}{(suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?")}");
        }

        foreach (var error in validatorErrors)
        {
            var colon = error.IndexOf(": ", StringComparison.Ordinal);
            var key = colon > 0 ? error[..colon] : string.Empty;

            // The binder's and the validator's own unknown-key reports, said better above with a position.
            var inUnknown = unknown.Any(u => u.Path.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase) || u.Path.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (inUnknown && (error.Contains(BinderUnknownKeys, StringComparison.Ordinal) || error.EndsWith(UnknownSection, StringComparison.Ordinal)))
            {
                continue;
            }

            lines.Add(positions.Find(key) is { } at ? $"{file}:{at.Line}:{at.Column}: {error}" : $"{file}: {error}");
        }

        return lines;
    }

    /// <summary>Keys the schema does not allow where they are, outermost only, with the closest allowed name.</summary>
    public static List<(string Path, int Line, int Column, string? Suggestion)> UnknownKeys(JsonKeyPositions positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var unknown = new List<(string Path, int Line, int Column, string? Suggestion)>();
        foreach (var (path, line, column) in positions.Keys)
        {
            if (unknown.Any(u => path.StartsWith(u.Path + ":", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var segments = path.Split(':');
            JsonObject? schema = Schema.Value;
            for (var i = 0; i < segments.Length && schema is not null; i++)
            {
                var (next, known) = Child(schema, segments[i]);
                if (known is not null && next is null && i == segments.Length - 1)
                {
                    unknown.Add((path, line, column, NameSuggester.Suggest(segments[i], known)));
                }

                schema = next;
            }
        }

        return unknown;
    }

    /// <summary>
    /// The schema of <paramref name="key"/> inside <paramref name="schema"/>. Known is the list of allowed
    /// names when the object is closed (then a null schema means the key is unknown); null when anything goes.
    /// </summary>
    private static (JsonObject? Schema, IReadOnlyList<string>? Known) Child(JsonObject schema, string key)
    {
        if (schema["items"] is JsonObject items && int.TryParse(key, out _))
        {
            return (items, null);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, value) in properties)
            {
                if (name.Equals(key, StringComparison.OrdinalIgnoreCase))
                {
                    return (value as JsonObject, null);
                }
            }

            // A group such as "Sources" lists its sections without saying it is closed: nothing else reads it either.
            var additional = schema["additionalProperties"];
            var closed = additional is null || additional.GetValueKind() == System.Text.Json.JsonValueKind.False;
            return closed ? (null, [.. properties.Select(p => p.Key)]) : (additional as JsonObject, null);
        }

        // A dictionary (its values' schema) or an open object such as Logging.
        return (schema["additionalProperties"] as JsonObject, null);
    }
}
