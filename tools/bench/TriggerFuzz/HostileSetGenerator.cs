using System.Globalization;
using System.Text;
using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Bench.TriggerFuzz;

/// <summary>One generated set: its text, format and the mutations that made it hostile.</summary>
internal sealed record HostileInput(long Index, string Text, TriggerSourceFormat Format, string Mutations)
{
    public string Extension => Format == TriggerSourceFormat.Json ? "json" : "yaml";
}

/// <summary>
/// Hostile trigger sets: a valid set (YAML or JSON, one to four triggers with well-typed conditions),
/// then one to three mutations of its conditions, fields or text. Set <c>i</c> of seed <c>s</c> is a
/// pure function of (s, i), so any input is reproduced with <c>--seed s --only i</c> whatever the threads.
/// The ideas follow tests/…/Triggers/TriggerLanguagePropertyTests.cs (token soup, character soup, deep
/// nesting, huge literals, well-typed conditions over hostile values), at larger sizes and on whole documents.
/// </summary>
internal static class HostileSetGenerator
{
    private static readonly string[] FunctionNames =
    [
        "abs", "min", "max", "clamp", "held", "rose", "fell", "since", "mean", "delta", "disagree", "class_mismatch",
        "iou_miss", "novelty", "count", "max_score",
    ];

    /// <summary>Conditions from the shipped trigger sets (firmware-config/triggers), all valid.</summary>
    private static readonly string[] ShippedConditions =
    [
        "held(shadow.obstacle > 0.5 and not primary.brake, 200ms)",
        "rose(gpio.driver_override) and primary.mode == \"auto\"",
        "held(count(shadow.boxes) > 0 and max_score(shadow.boxes) < 0.4, 500ms)",
        "held(shadow.obstacle > 0.6 and not primary.brake, 200ms) and vehicle.speed > 1",
        "novelty(shadow.embedding) > 0.35",
        "rose(primary.brake) and max(shadow.obstacle, 1s) < 0.2 and vehicle.speed > 5",
        "disagree(shadow.steering, primary.steering, 0.15, 300ms) and vehicle.speed > 2",
    ];

    private static readonly string[] Tokens =
    [
        "shadow.obstacle", "primary.brake", "primary.mode", "vehicle.speed", "shadow.boxes", "primary.boxes", "shadow.embedding",
        "primary.brak", "nope", "(", ")", "(", ")", ",", "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "=", "!", "&&",
        "and", "or", "not", "true", "false", "0", "1", "0.5", "-1", "1e308", "1e999", "99999999999999999999999999", "200ms", "2s",
        "1m", "5x", "\"auto\"", "'x", "unknown(", "#", "\n", ".", "..", "é", "abs(", "min(", "max(", "clamp(", "held(", "rose(",
        "fell(", "since(", "mean(", "delta(", "disagree(", "class_mismatch(", "iou_miss(", "novelty(", "count(", "max_score(",
    ];

    private static readonly string[] HugeNumbers =
    [
        "1e308", "1e999", "-1e999", "NaN", "nan", "Infinity", "-Infinity", "inf", ".inf", "-0", "0.0000000000000000000000001",
        "4.9e-324", "1.7976931348623157e308", "0x7fffffff", "1_000", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "1.", ".5", "1e", "1e+", "--1", "+1",
    ];

    private static readonly string[] HostileDurations =
    [
        "0ms", "0s", "-1s", "-0ms", "1e30s", "1e308h", "99999999999999999999h", "10675199d", "10675200d", "9223372036854775807ms",
        "NaNms", "infs", "1e-9ms", "0.0001ms", "31s", "30001ms", "1h", "24h", "1d", "5x", "ms", "1.5.5s", "1 s", "2s2s", "1e999ms",
        "100000000000000000000000000000000000000000000000000ms", "7w", "1y", "P1D", "00:00:01",
    ];

    private static readonly string[] HostileChars =
    [
        "\0", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\r\n", "\u001b[31m", "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029",
        "\u200b", "\u200d", "\u202e", "\ufeff", "\ufffd", "\uffff", "\ud800", "\udfff", "😀", "é", "ﬃ", "İ", "ß", "\u0301", "𝔸", "\\",
        "\"", "'", "`", "%", "&", "*", "!", "|", ">", "{", "}", "[", "]", ":", "- ", "#", "?", "@",
    ];

    private static readonly string[] FieldNames =
    [
        "schemaVersion", "version", "description", "staleAfter", "embeddingSignal", "triggers", "id", "when", "pre", "post",
        "cooldown", "priority", "sampleRate", "maxPerHour", "maxBytesPerDay", "minNovelty", "enabled", "dryRun", "upload",
        "immediate", "wifiOnly", "onRequest", "text", "unknownField",
    ];

    private static readonly string[] HostileScalars =
    [
        "~", "null", "", "true", "yes", "on", "NO", "[]", "{}", "[1, 2]", "{a: b}", "-", "1e999", "NaN", "-1", "0", "2", "1.5",
        "9999999999999999999999", "\"x\"", "!!binary aGVsbG8=", "!!int 3", "!!float .nan", "!custom tag", "!!python/object:os.system x",
        "*undefined_alias", "&anchor 1", "|\n  multi\n  line", ">-\n  folded", "2001-12-14t21:59:43.10-05:00", "0o17", "0x1F",
    ];

    public static HostileInput Generate(int seed, long index)
    {
        var random = new Random(Mix(seed, index));
        var mutations = new List<string>();
        var triggers = new List<Dictionary<string, string>>();
        var triggerCount = random.Next(1, 5);
        for (var t = 0; t < triggerCount; t++)
        {
            triggers.Add(ValidTrigger(random, t));
        }

        var header = new Dictionary<string, string> { ["schemaVersion"] = "1", ["version"] = random.Next(0, 1000).ToString(CultureInfo.InvariantCulture) };
        if (random.Next(3) == 0)
        {
            header["staleAfter"] = "500ms";
        }

        var json = random.Next(3) == 0;

        // Structural mutations on the model, then text mutations on the rendered document.
        var modelMutations = random.Next(0, 3) + (random.Next(4) == 0 ? 1 : 0);
        for (var m = 0; m < modelMutations; m++)
        {
            var trigger = triggers[random.Next(triggers.Count)];
            mutations.Add(MutateModel(random, header, triggers, trigger));
        }

        var text = json ? RenderJson(random, header, triggers) : RenderYaml(random, header, triggers);
        var textMutations = modelMutations == 0 ? 1 + random.Next(2) : random.Next(3) == 0 ? 1 : 0;
        for (var m = 0; m < textMutations; m++)
        {
            (text, var name) = json ? MutateJsonText(random, text) : MutateYamlText(random, text);
            mutations.Add(name);
        }

        return new HostileInput(index, text, json ? TriggerSourceFormat.Json : TriggerSourceFormat.Yaml, string.Join(';', mutations));
    }

    /// <summary>The shipped conditions as one valid YAML set and one valid JSON set (the warm-up: JIT, not timed).</summary>
    public static IEnumerable<HostileInput> WarmUpSets()
    {
        var random = new Random(0);
        var header = new Dictionary<string, string> { ["schemaVersion"] = "1", ["version"] = "1" };
        var triggers = ShippedConditions.Select((when, i) => new Dictionary<string, string> { ["id"] = $"t{i}", ["when"] = when, ["cooldown"] = "0s" }).ToList();
        yield return new HostileInput(-1, RenderYaml(random, header, triggers), TriggerSourceFormat.Yaml, "none");
        yield return new HostileInput(-2, RenderJson(random, header, triggers, exact: true), TriggerSourceFormat.Json, "none");
        yield return new HostileInput(-3, RenderYaml(random, header, triggers) + "description: [" + string.Join(',', Enumerable.Repeat("1", 100_000)) + "]\n", TriggerSourceFormat.Yaml, "big-list");
        yield return new HostileInput(-4, "{\"description\": [" + string.Join(',', Enumerable.Repeat("{}", 60_000)) + "]}", TriggerSourceFormat.Json, "big-list");
    }

    /// <summary>A 32-bit seed from (seed, index): SplitMix64, stable across runs and runtimes.</summary>
    private static int Mix(int seed, long index)
    {
        var z = unchecked(((ulong)(uint)seed << 32) ^ (ulong)index) + 0x9E3779B97F4A7C15UL;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(z ^ (z >> 31)));
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static Dictionary<string, string> ValidTrigger(Random random, int index)
    {
        var trigger = new Dictionary<string, string>
        {
            ["id"] = $"t{index}",
            ["when"] = random.Next(4) == 0 ? Pick(random, ShippedConditions) : Condition(random, random.Next(0, 4)),
            ["cooldown"] = Pick(random, new[] { "0s", "1s", "250ms" }),
        };
        if (random.Next(2) == 0)
        {
            trigger["pre"] = "2s";
            trigger["post"] = "1s";
        }

        if (random.Next(4) == 0)
        {
            trigger["sampleRate"] = "0.5";
            trigger["maxPerHour"] = "60";
        }

        if (random.Next(6) == 0)
        {
            trigger["minNovelty"] = "0.2";
        }

        if (random.Next(6) == 0)
        {
            trigger["dryRun"] = "true";
        }

        return trigger;
    }

    /// <summary>Well-typed conditions over numbers and bools with temporal operators, as the property tests.</summary>
    private static string Condition(Random random, int depth)
    {
        if (depth == 0)
        {
            return random.Next(5) switch
            {
                0 => "primary.brake",
                1 => random.Next(2) == 0 ? "true" : "false",
                2 => Pick(random, ShippedConditions),
                _ => Comparison(random, 0),
            };
        }

        return random.Next(12) switch
        {
            < 4 => Comparison(random, depth),
            4 => "primary.brake",
            5 or 6 => $"({Condition(random, depth - 1)} {(random.Next(2) == 0 ? "and" : "or")} {Condition(random, depth - 1)})",
            7 => $"not ({Condition(random, depth - 1)})",
            8 => $"held({Condition(random, depth - 1)}, 200ms)",
            9 => $"rose({Condition(random, depth - 1)})",
            10 => $"fell({Condition(random, depth - 1)})",
            _ => $"since({Condition(random, depth - 1)}) < 300ms",
        };
    }

    private static string Comparison(Random random, int depth) =>
        $"{Number(random, depth)} {Pick(random, new[] { "<", "<=", ">", ">=", "==", "!=" })} {Number(random, depth)}";

    private static string Number(Random random, int depth)
    {
        string[] leaves =
        [
            "shadow.obstacle", "vehicle.speed", "0", "1", "0.5", "1e300", "mean(vehicle.speed, 1s)", "delta(shadow.obstacle, 500ms)",
            "max(vehicle.speed, 2s)", "count(shadow.boxes)", "max_score(primary.boxes)", "novelty(shadow.embedding)",
        ];
        if (depth == 0)
        {
            return Pick(random, leaves);
        }

        return random.Next(9) switch
        {
            < 3 => Pick(random, leaves),
            3 or 4 => $"({Number(random, depth - 1)} {Pick(random, new[] { "+", "-", "*", "/" })} {Number(random, depth - 1)})",
            5 => $"abs({Number(random, depth - 1)})",
            6 => $"-{Number(random, depth - 1)}",
            7 => $"min({Number(random, depth - 1)}, {Number(random, depth - 1)})",
            _ => $"clamp({Number(random, depth - 1)}, {Number(random, depth - 1)}, {Number(random, depth - 1)})",
        };
    }

    private static string MutateModel(Random random, Dictionary<string, string> header, List<Dictionary<string, string>> triggers, Dictionary<string, string> trigger)
    {
        var when = trigger["when"];
        switch (random.Next(16))
        {
            case 0:
            {
                var depth = random.Next(4) == 0 ? random.Next(1, 20_000) : random.Next(20, 60);
                var opener = Pick(random, new[] { "(", "not ", "-", "abs(", "held(", "rose(", "min(1, ", "!" });
                var (operand, closer) = opener switch
                {
                    "(" => ("primary.brake", ")"),
                    "not " or "!" => ("primary.brake", string.Empty),
                    "held(" => ("primary.brake", ", 1s)"),
                    "rose(" => ("primary.brake", ")"),
                    "-" => ("vehicle.speed", string.Empty),
                    _ => ("vehicle.speed", ")"),
                };
                trigger["when"] = string.Concat(Enumerable.Repeat(opener, depth)) + operand + string.Concat(Enumerable.Repeat(closer, depth)) +
                    (opener is "-" or "abs(" or "min(1, " ? " > 0" : string.Empty);
                return $"deep-nesting({opener.Trim()}x{depth})";
            }

            case 1:
                trigger["when"] = ReplaceNumber(random, when, random.Next(3) == 0 ? new string('9', random.Next(100, 5000)) : Pick(random, HugeNumbers));
                return "huge-number";
            case 2:
            {
                var name = Pick(random, FunctionNames);
                var bad = Pick(random, new[] { name + "x", name[..^1], name.ToUpperInvariant(), "eval", "system", "__proto__", "constructor", "toString", "unknown", new string('f', random.Next(64, 20_000)) });
                trigger["when"] = $"{bad}({Pick(random, new[] { "vehicle.speed", "primary.brake", "shadow.boxes" })}, 1s) > 0 or {when}";
                return "unknown-function";
            }

            case 3:
            {
                var signal = Pick(random, new[] { "primary.brak", "vehicle", "vehicle.", ".speed", "vehicle..speed", "a.b.c.d.e", "shadow.obstacle.x", "triggers", "t0", "this", "$env.HOME", "${HOME}", "VEHICLE.SPEED", "véhicle.speed" });
                trigger["when"] = when.Replace("vehicle.speed", signal, StringComparison.Ordinal).Replace("primary.brake", signal, StringComparison.Ordinal) + $" and {signal} > 0";
                return "unknown-signal";
            }

            case 4:
            {
                var f = Pick(random, FunctionNames);
                var args = Enumerable.Range(0, random.Next(0, random.Next(2) == 0 ? 8 : 300)).Select(_ => Pick(random, new[] { "vehicle.speed", "primary.brake", "1s", "0.5", "shadow.boxes", "shadow.embedding", "\"x\"" }));
                trigger["when"] = $"{f}({string.Join(", ", args)}) {Pick(random, new[] { "> 0", "", "== true", "< 1s" })}".Trim();
                return $"wrong-arity({f})";
            }

            case 5:
                trigger["when"] = Pick(random, new[]
                {
                    "vehicle.speed", "primary.mode", "shadow.boxes", "shadow.embedding", "1", "\"text\"", "200ms",
                    "primary.brake > 1", "primary.mode > 0", "shadow.boxes + 1 > 0", "vehicle.speed and primary.brake",
                    "not vehicle.speed", "-primary.brake > 0", "primary.mode == 1", "200ms > 100ms", "vehicle.speed > 1s",
                    "held(vehicle.speed, 1s)", "mean(primary.brake, 1s) > 0", "novelty(vehicle.speed) > 0", "count(vehicle.speed) > 0",
                    "rose(vehicle.speed)", "since(1) < 1s", "disagree(primary.brake, primary.mode, true, 1s)", "held(primary.brake, vehicle.speed)",
                    "clamp(primary.brake, true, false) > 0", "iou_miss(vehicle.speed, 1, 1s)", "class_mismatch(1, 2)",
                });
                return "wrong-types";
            case 6:
            {
                var duration = Pick(random, HostileDurations);
                trigger["when"] = Pick(random, new[]
                {
                    $"held(primary.brake, {duration})", $"mean(vehicle.speed, {duration}) > 0", $"since(primary.brake) < {duration}",
                    $"delta(shadow.obstacle, {duration}) > 0", $"max(vehicle.speed, {duration}) > 1", $"min(vehicle.speed, {duration}) < 1",
                    $"disagree(shadow.steering, primary.steering, 0.1, {duration})",
                });
                return $"window({duration})";
            }

            case 7:
            {
                var field = Pick(random, new[] { "pre", "post", "cooldown" });
                var duration = Pick(random, HostileDurations);
                if (random.Next(4) == 0)
                {
                    header["staleAfter"] = duration;
                }
                else
                {
                    trigger[field] = duration;
                }

                return $"duration-field({duration})";
            }

            case 8:
            {
                var position = random.Next(when.Length + 1);
                var chars = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Pick(random, HostileChars)));
                trigger["when"] = when.Insert(position, chars);
                return "unicode-in-condition";
            }

            case 9:
            {
                var length = random.Next(4) == 0 ? random.Next(4096, 300_000) : random.Next(64, 4096);
                var name = new string('a', length);
                switch (random.Next(3))
                {
                    case 0:
                        trigger["when"] = $"{name}.{name} > 0";
                        break;
                    case 1:
                        trigger["id"] = name;
                        break;
                    default:
                        trigger[name] = "1";
                        break;
                }

                return $"long-identifier({length})";
            }

            case 10:
            {
                var soup = string.Join(' ', Enumerable.Range(0, random.Next(0, 60)).Select(_ => Pick(random, Tokens)));
                trigger["when"] = random.Next(2) == 0 ? soup : $"{when} {soup}";
                return "token-soup";
            }

            case 11:
            {
                // Many triggers: past MaxTriggers, or many long conditions under it.
                var count = random.Next(3) == 0 ? random.Next(65, 3000) : random.Next(20, 65);
                var template = triggers[0];
                for (var i = triggers.Count; i < count; i++)
                {
                    var copy = new Dictionary<string, string>(template)
                    {
                        ["id"] = random.Next(10) == 0 ? "dup" : $"t{i}",
                        ["when"] = random.Next(2) == 0 ? template["when"] : Condition(random, 4),
                    };
                    triggers.Add(copy);
                }

                return $"many-triggers({count})";
            }

            case 12:
            {
                // "Cycles": the language has no references between triggers; ids and conditions naming each other.
                foreach (var (t, i) in triggers.Select((t, i) => (t, i)))
                {
                    t["id"] = $"t{i}";
                    t["when"] = $"rose(t{(i + 1) % triggers.Count}) or held(t{i}, 1s) or since(t{i}) < 1s";
                }

                return "self-reference";
            }

            case 13:
            {
                var field = Pick(random, FieldNames);
                var value = Pick(random, HostileScalars);
                if (field is "schemaVersion" or "version" or "description" or "staleAfter" or "embeddingSignal" or "triggers" && random.Next(2) == 0)
                {
                    header[field] = value;
                }
                else
                {
                    trigger[field] = value;
                }

                return $"field-type({field})";
            }

            case 14:
            {
                // A condition at and around the length and node limits.
                var terms = random.Next(100, 1200);
                trigger["when"] = string.Join(random.Next(2) == 0 ? " and " : " or ", Enumerable.Range(0, terms).Select(i => $"vehicle.speed > {i}"));
                return $"wide-condition({terms})";
            }

            default:
            {
                // Numbers in fields: huge, NaN, negative.
                var field = Pick(random, new[] { "version", "schemaVersion", "priority", "sampleRate", "maxPerHour", "maxBytesPerDay", "minNovelty" });
                var value = Pick(random, HugeNumbers);
                if (field is "version" or "schemaVersion")
                {
                    header[field] = value;
                }
                else
                {
                    trigger[field] = value;
                }

                return $"field-number({field}={value})";
            }
        }
    }

    private static string ReplaceNumber(Random random, string when, string replacement)
    {
        var digits = Enumerable.Range(0, when.Length).Where(i => char.IsAsciiDigit(when[i]) && (i == 0 || !char.IsAsciiLetterOrDigit(when[i - 1]) && when[i - 1] != '.')).ToList();
        if (digits.Count == 0)
        {
            return $"{when} or vehicle.speed > {replacement}";
        }

        var start = digits[random.Next(digits.Count)];
        var end = start;
        while (end < when.Length && (char.IsAsciiDigit(when[end]) || when[end] == '.'))
        {
            end++;
        }

        return when[..start] + replacement + when[end..];
    }

    private static string RenderYaml(Random random, Dictionary<string, string> header, List<Dictionary<string, string>> triggers)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in header)
        {
            text.Append(key).Append(": ").Append(YamlScalar(random, value, key)).Append('\n');
        }

        text.Append(random.Next(8) == 0 ? "triggers: [\n" : "triggers:\n");
        var flow = text[^2] == '[';
        foreach (var trigger in triggers)
        {
            if (flow)
            {
                text.Append("  {").AppendJoin(", ", trigger.Select(kv => $"{kv.Key}: {YamlQuoted(kv.Value)}")).Append("},\n");
                continue;
            }

            var first = true;
            foreach (var (key, value) in trigger)
            {
                text.Append(first ? "  - " : "    ").Append(key).Append(": ").Append(YamlScalar(random, value, key)).Append('\n');
                first = false;
            }
        }

        if (flow)
        {
            text.Append("]\n");
        }

        return text.ToString();
    }

    /// <summary>Conditions quoted as a user would (single, double or block); other values plain unless they need quotes.</summary>
    private static string YamlScalar(Random random, string value, string key)
    {
        if (key is not "when" and not "id" and not "description")
        {
            return value.Contains('\n', StringComparison.Ordinal) ? value.Replace("\n", "\n      ", StringComparison.Ordinal) : value;
        }

        return random.Next(4) switch
        {
            0 => YamlQuoted(value),
            1 when !value.Contains('\n', StringComparison.Ordinal) => "|\n      " + value,
            _ => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        };
    }

    private static string YamlQuoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                < ' ' or '\u007f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private static string RenderJson(Random random, Dictionary<string, string> header, List<Dictionary<string, string>> triggers, bool exact = false)
    {
        var text = new StringBuilder("{\n");
        foreach (var (key, value) in header)
        {
            text.Append("  ").Append(JsonString(key)).Append(": ").Append(JsonValue(random, key, value, exact)).Append(",\n");
        }

        text.Append("  \"triggers\": [\n");
        for (var i = 0; i < triggers.Count; i++)
        {
            text.Append("    {").AppendJoin(", ", triggers[i].Select(kv => $"{JsonString(kv.Key)}: {JsonValue(random, kv.Key, kv.Value, exact)}")).Append(i + 1 < triggers.Count ? "},\n" : "}\n");
        }

        return text.Append("  ]\n}\n").ToString();
    }

    /// <summary>Numbers and bools as JSON literals where they parse as such (sometimes quoted anyway), everything else a string.</summary>
    private static string JsonValue(Random random, string key, string value, bool exact)
    {
        if (key is not "when" and not "id" and not "description" && (exact || random.Next(8) != 0) &&
            (value is "true" or "false" or "null" or "[]" or "{}" or "[1, 2]" || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            return value;
        }

        return JsonString(value);
    }

    private static string JsonString(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => $"\\u{(int)c:x4}",
                _ when char.IsSurrogate(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private static (string Text, string Name) MutateYamlText(Random random, string text)
    {
        switch (random.Next(12))
        {
            case 0:
                return (text[..random.Next(text.Length)], "truncated");
            case 1:
                return (text.Replace("version:", "version: 1\nversion:", StringComparison.Ordinal)
                    .Replace("  - id:", random.Next(2) == 0 ? "  - when: true\n    id:" : "  - id: twin\n    id:", StringComparison.Ordinal), "duplicate-keys");
            case 2:
            {
                // Billion laughs: each level aliases the previous one ten times.
                var levels = random.Next(3, 12);
                var bomb = new StringBuilder("bomb:\n  l0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
                for (var l = 1; l < levels; l++)
                {
                    bomb.Append(CultureInfo.InvariantCulture, $"  l{l}: &l{l} [{string.Join(',', Enumerable.Repeat($"*l{l - 1}", 10))}]\n");
                }

                var where = random.Next(3);
                return where switch
                {
                    0 => (bomb + text, $"billion-laughs({levels})"),
                    1 => (bomb + text.Replace("when:", $"when: *l{levels - 1}\n    x:", StringComparison.Ordinal), $"billion-laughs-in-when({levels})"),
                    _ => (bomb + text.Replace("triggers:\n", $"triggers: *l{levels - 1}\nx:\n", StringComparison.Ordinal), $"billion-laughs-as-triggers({levels})"),
                };
            }

            case 3:
                return (random.Next(3) switch
                {
                    0 => "a: &a [*a]\n" + text,
                    1 => text.Replace("  - id:", "  - &t\n    id:", StringComparison.Ordinal) + "  - *t\n  - *t\n  - <<: *t\n",
                    _ => "x: &x\n  y: *x\n" + text,
                }, "recursive-alias");
            case 4:
            {
                var depth = random.Next(3) == 0 ? random.Next(1000, 100_000) : random.Next(50, 1000);
                var open = random.Next(2) == 0 ? "[" : "{a: ";
                var close = open == "[" ? "]" : "}";
                var nest = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
                return (text + "description: " + nest + "\n", $"deep-yaml({open.Trim()}x{depth})");
            }

            case 5:
            {
                var depth = random.Next(10, random.Next(2) == 0 ? 200 : 3000);
                var block = new StringBuilder("description:\n");
                for (var d = 1; d <= depth; d++)
                {
                    block.Append(' ', d).Append("- \n");
                }

                return (text + block, $"deep-block-yaml({depth})");
            }

            case 6:
            {
                var length = random.Next(1000, 200_000);
                return (text + "description: [" + string.Join(',', Enumerable.Repeat("1", length)) + "]\n", $"big-list({length})");
            }

            case 7:
                return (Pick(random, new[] { "%YAML 9.9\n---\n", "%TAG ! tag:x,2000:\n---\n", "---\n", "\ufeff", "--- !!map\n", "...\n" }) + text +
                    Pick(random, new[] { "", "---\nschemaVersion: 1\n", "...\n---\n", "\n...\n" }), "directives-documents");
            default:
                return Corrupt(random, text);
        }
    }

    private static (string Text, string Name) MutateJsonText(Random random, string text)
    {
        switch (random.Next(9))
        {
            case 0:
                return (text[..random.Next(text.Length)], "truncated");
            case 1:
                return (text.Replace("\"version\":", "\"version\": 7, \"version\":", StringComparison.Ordinal)
                    .Replace("{\"id\":", "{\"id\": \"twin\", \"id\":", StringComparison.Ordinal), "duplicate-keys");
            case 2:
            {
                var depth = random.Next(3) == 0 ? random.Next(65, 100_000) : random.Next(30, 70);
                var nest = string.Concat(Enumerable.Repeat("[", depth)) + "1" + string.Concat(Enumerable.Repeat("]", depth));
                return (text.Replace("{\n", "{\n  \"description\": " + nest + ",\n", StringComparison.Ordinal), $"deep-json({depth})");
            }

            case 3:
                return (text.Replace("\"schemaVersion\": 1", Pick(random, new[] { "\"schemaVersion\": NaN", "\"schemaVersion\": Infinity", "\"schemaVersion\": 1e400", "\"schemaVersion\": -0", "\"schemaVersion\": 1.0000000000000001", "\"schemaVersion\": 01" }), StringComparison.Ordinal), "json-number-literal");
            case 4:
                return (text.Replace("\"when\": \"", "\"when\": \"" + Pick(random, new[] { "\\ud800", "\\udfff", "\\u0000", "\\uZZZZ", "\\x41", "\\", "\\u12" }), StringComparison.Ordinal), "json-escape");
            case 5:
            {
                var length = random.Next(1000, 200_000);
                return (text.Replace("{\n", "{\n  \"description\": [" + string.Join(',', Enumerable.Repeat("{}", length)) + "],\n", StringComparison.Ordinal), $"big-list({length})");
            }

            case 6:
                return ("/* comment */ " + text.Replace(",\n", ", // c\n", StringComparison.Ordinal) + Pick(random, new[] { "", " ", "{}", "/*", "//", ",", "\0" }), "comments-trailing");
            default:
                return Corrupt(random, text);
        }
    }

    /// <summary>Character soup over the rendered text: inserts, deletes, duplicated spans.</summary>
    private static (string Text, string Name) Corrupt(Random random, string text)
    {
        var builder = new StringBuilder(text);
        var edits = random.Next(1, 8);
        for (var e = 0; e < edits && builder.Length > 0; e++)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(4))
            {
                case 0:
                    builder.Insert(at, Pick(random, HostileChars));
                    break;
                case 1:
                    builder.Remove(at, Math.Min(builder.Length - at, random.Next(1, 8)));
                    break;
                case 2:
                    var length = Math.Min(builder.Length - at, random.Next(1, 40));
                    builder.Insert(at, builder.ToString(at, length));
                    break;
                default:
                    builder[at] = (char)random.Next(0, 0x3000);
                    break;
            }
        }

        return (builder.ToString(), "corrupt-text");
    }
}
