using System.Globalization;

namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>
/// Maps a <see cref="SourceNode"/> tree (from YAML or JSON) onto <see cref="TriggerSetDocument"/>,
/// reporting every shape problem (unknown field, wrong scalar type, missing id) with its position.
/// Values (durations, ranges, expressions) are checked later by the compiler.
/// </summary>
internal static class TriggerSetMapper
{
    // `$schema` lets editors find firmware-config/triggers/trigger-set.schema.json; it is ignored.
    private static readonly string[] RootFields = ["$schema", "schemaVersion", "version", "description", "staleAfter", "embeddingSignal", "triggers"];

    private static readonly string[] TriggerFields =
    [
        "id", "description", "when", "pre", "post", "cooldown", "priority", "sampleRate", "maxPerHour",
        "maxBytesPerDay", "upload", "enabled", "dryRun", "minNovelty",
    ];

    public static (TriggerSetDocument Document, SourcePositions Positions) Map(SourceNode? root, List<TriggerDiagnostic> errors)
    {
        var document = new TriggerSetDocument();
        var positions = new SourcePositions();
        if (root is not SourceMapping mapping)
        {
            errors.Add(new TriggerDiagnostic(null, "document", "a trigger set must be a mapping with schemaVersion, version and triggers", root?.Line ?? 1, root?.Column ?? 1, Expected: "a mapping"));
            return (document, positions);
        }

        var seen = false;
        foreach (var (key, value) in Fields(mapping, null, RootFields, errors))
        {
            positions.Root[key.Value] = value;
            var reader = new ScalarReader(errors, null, key.Value);
            switch (key.Value)
            {
                case "schemaVersion":
                    document.SchemaVersion = reader.Int(value) ?? document.SchemaVersion;
                    break;
                case "version":
                    document.Version = reader.Int(value) ?? document.Version;
                    break;
                case "description":
                    document.Description = reader.Text(value);
                    break;
                case "staleAfter":
                    document.StaleAfter = reader.Text(value) ?? document.StaleAfter;
                    break;
                case "embeddingSignal":
                    document.EmbeddingSignal = reader.Text(value) ?? document.EmbeddingSignal;
                    break;
                case "triggers":
                    seen = true;
                    positions.TriggersNode = value;
                    MapTriggers(value, document, positions, errors);
                    break;
            }
        }

        if (!seen)
        {
            errors.Add(new TriggerDiagnostic(null, "triggers", "missing 'triggers'", mapping.Line, mapping.Column, Expected: "a list of triggers"));
        }

        return (document, positions);
    }

    private static void MapTriggers(SourceNode node, TriggerSetDocument document, SourcePositions positions, List<TriggerDiagnostic> errors)
    {
        if (node is SourceScalar { Kind: ScalarKind.Null })
        {
            return;
        }

        if (node is not SourceSequence sequence)
        {
            errors.Add(new TriggerDiagnostic(null, "triggers", "'triggers' must be a list", node.Line, node.Column, Expected: "a list of triggers"));
            return;
        }

        foreach (var item in sequence.Items)
        {
            var trigger = new TriggerDefinition();
            var fields = new Dictionary<string, SourceNode>(StringComparer.Ordinal);
            document.Triggers.Add(trigger);
            positions.Triggers.Add(fields);
            positions.TriggerNodes.Add(item);
            if (item is not SourceMapping mapping)
            {
                errors.Add(new TriggerDiagnostic(null, "triggers", "each trigger must be a mapping with id and when", item.Line, item.Column, Expected: "a mapping"));
                positions.Malformed.Add(document.Triggers.Count - 1);
                continue;
            }

            var id = mapping.Entries.FirstOrDefault(e => e.Key.Value == "id").Value as SourceScalar;
            var label = id?.Value;
            foreach (var (key, value) in Fields(mapping, label, TriggerFields, errors))
            {
                fields[key.Value] = value;
                MapTriggerField(trigger, key.Value, value, new ScalarReader(errors, label, key.Value));
            }
        }
    }

    private static void MapTriggerField(TriggerDefinition trigger, string field, SourceNode value, ScalarReader reader)
    {
        switch (field)
        {
            case "id": trigger.Id = reader.Text(value) ?? string.Empty; break;
            case "description": trigger.Description = reader.Text(value); break;
            case "when": trigger.When = reader.Text(value) ?? string.Empty; break;
            case "pre": trigger.Pre = reader.Text(value) ?? trigger.Pre; break;
            case "post": trigger.Post = reader.Text(value) ?? trigger.Post; break;
            case "cooldown": trigger.Cooldown = reader.Text(value) ?? trigger.Cooldown; break;
            case "priority": trigger.Priority = reader.Int(value) ?? trigger.Priority; break;
            case "sampleRate": trigger.SampleRate = reader.Double(value) ?? trigger.SampleRate; break;
            case "maxPerHour": trigger.MaxPerHour = reader.Int(value); break;
            case "maxBytesPerDay": trigger.MaxBytesPerDay = reader.Long(value); break;
            case "upload": trigger.Upload = reader.Upload(value) ?? trigger.Upload; break;
            case "enabled": trigger.Enabled = reader.Bool(value) ?? trigger.Enabled; break;
            case "dryRun": trigger.DryRun = reader.Bool(value) ?? trigger.DryRun; break;
            case "minNovelty": trigger.MinNovelty = reader.Double(value); break;
        }
    }

    /// <summary>Known fields of a mapping; unknown and repeated ones are reported.</summary>
    private static IEnumerable<KeyValuePair<SourceScalar, SourceNode>> Fields(SourceMapping mapping, string? triggerId, string[] known, List<TriggerDiagnostic> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key;
            if (!known.Contains(key.Value, StringComparer.Ordinal))
            {
                errors.Add(new TriggerDiagnostic(triggerId, key.Value, $"unknown field '{key.Value}'", key.Line, key.Column,
                    Expected: "one of " + string.Join(", ", known), Suggestion: NameSuggester.Suggest(key.Value, known)));
                continue;
            }

            if (!seen.Add(key.Value))
            {
                errors.Add(new TriggerDiagnostic(triggerId, key.Value, $"field '{key.Value}' is given twice", key.Line, key.Column));
                continue;
            }

            yield return entry;
        }
    }

    /// <summary>Reads scalars of one field, reporting a wrong type with the field's position.</summary>
    private readonly struct ScalarReader(List<TriggerDiagnostic> errors, string? triggerId, string field)
    {
        public string? Text(SourceNode node) => Scalar(node, "text", ScalarKind.Plain, ScalarKind.Text)?.Value;

        public int? Int(SourceNode node) =>
            Scalar(node, "a whole number", ScalarKind.Plain, ScalarKind.Number) is { } s
                ? Parsed(s, int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v), v, "a whole number")
                : null;

        public long? Long(SourceNode node) =>
            Scalar(node, "a whole number", ScalarKind.Plain, ScalarKind.Number) is { } s
                ? Parsed(s, long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v), v, "a whole number")
                : null;

        public double? Double(SourceNode node) =>
            Scalar(node, "a number", ScalarKind.Plain, ScalarKind.Number) is { } s
                ? Parsed(s, double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v), v, "a number")
                : null;

        public bool? Bool(SourceNode node) =>
            Scalar(node, "true or false", ScalarKind.Plain, ScalarKind.Bool) is { } s
                ? Parsed(s, bool.TryParse(s.Value, out var v), v, "true or false")
                : null;

        public UploadPolicy? Upload(SourceNode node)
        {
            if (Scalar(node, "immediate, wifiOnly or onRequest", ScalarKind.Plain, ScalarKind.Text) is not { } s)
            {
                return null;
            }

            string[] names = ["immediate", "wifiOnly", "onRequest"];
            var ok = Enum.TryParse<UploadPolicy>(s.Value, ignoreCase: true, out var policy) && names.Contains(s.Value, StringComparer.OrdinalIgnoreCase);
            if (!ok)
            {
                errors.Add(new TriggerDiagnostic(triggerId, field, $"unknown upload policy '{s.Value}'", s.Line, s.Column,
                    Expected: "immediate, wifiOnly or onRequest", Suggestion: NameSuggester.Suggest(s.Value, names)));
                return null;
            }

            return policy;
        }

        private T? Parsed<T>(SourceScalar scalar, bool ok, T value, string expected)
            where T : struct
        {
            if (ok)
            {
                return value;
            }

            errors.Add(new TriggerDiagnostic(triggerId, field, $"'{scalar.Value}' is not {expected}", scalar.Line, scalar.Column, Expected: expected));
            return null;
        }

        private SourceScalar? Scalar(SourceNode node, string expected, params ScalarKind[] kinds)
        {
            if (node is SourceScalar { Kind: ScalarKind.Null })
            {
                return null;
            }

            if (node is SourceScalar scalar && kinds.Contains(scalar.Kind))
            {
                return scalar;
            }

            errors.Add(new TriggerDiagnostic(triggerId, field, $"'{field}' has the wrong type", node.Line, node.Column, Expected: expected));
            return null;
        }
    }
}
