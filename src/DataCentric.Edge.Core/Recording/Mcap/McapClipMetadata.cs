using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using static DataCentric.Edge.Core.Recording.Mcap.McapClipFormat;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// The clip's metadata records, both ways: <c>clip.info</c> (id, window), <c>clip</c> (the
/// caller's map as is) and one flat, human-readable <c>trigger_event</c> record per event, which
/// is what lets a quick listing restore the events without reading any message.
/// </summary>
internal static class McapClipMetadata
{
    public static List<KeyValuePair<string, string>> Info(ClipContent clip) =>
    [
        new("clip_id", clip.ClipId),
        new("start_ns", FormatInteger(ToNanoseconds(clip.Start))),
        new("end_ns", FormatInteger(ToNanoseconds(clip.End))),
        new("wall_clock_start", FormatWallClock(clip.WallClockStart)),
        new("format_version", FormatVersion),
    ];

    public static (string ClipId, TimeSpan Start, TimeSpan End, DateTimeOffset WallClockStart) ParseInfo(McapMetadata info)
    {
        var version = Required(info, "format_version");
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Clip format version '{version}' is not supported by this reader (it reads version {FormatVersion}).");
        }

        return (
            Required(info, "clip_id"),
            FromNanoseconds(ParseNumber(info, "start_ns")),
            FromNanoseconds(ParseNumber(info, "end_ns")),
            Parse(info, "wall_clock_start", ParseWallClock));
    }

    public static List<KeyValuePair<string, string>> Event(TriggerEvent triggerEvent)
    {
        var values = new List<KeyValuePair<string, string>>
        {
            new("event_id", triggerEvent.EventId),
            new("time_ns", FormatInteger(ToNanoseconds(triggerEvent.Time))),
            new("wall_clock", FormatWallClock(triggerEvent.WallClock)),
            new("trigger_set_version", FormatInteger(triggerEvent.TriggerSetVersion)),
            new("dry_run", triggerEvent.DryRun ? "true" : "false"),
            new("priority", FormatInteger(triggerEvent.Priority)),
            new("trigger_count", FormatInteger(triggerEvent.Triggers.Count)),
            new("trigger_ids", string.Join(",", triggerEvent.Triggers.Select(t => t.TriggerId))),
        };
        for (var i = 0; i < triggerEvent.Triggers.Count; i++)
        {
            var hit = triggerEvent.Triggers[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"trigger.{i}.");
            values.Add(new(prefix + "id", hit.TriggerId));
            values.Add(new(prefix + "expression", hit.Expression));
            values.Add(new(prefix + "priority", FormatInteger(hit.Priority)));
            values.Add(new(prefix + "pre_ns", FormatInteger(ToNanoseconds(hit.Pre))));
            values.Add(new(prefix + "post_ns", FormatInteger(ToNanoseconds(hit.Post))));
        }

        return values;
    }

    public static TriggerEvent ParseEvent(McapMetadata record)
    {
        var count = ParseNumber(record, "trigger_count");
        if (count < 0 || count > record.Values.Count)
        {
            throw new InvalidDataException($"Metadata record '{record.Name}' has an impossible trigger_count {count}.");
        }

        var hits = new TriggerHit[count];
        for (var i = 0; i < hits.Length; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"trigger.{i}.");
            hits[i] = new TriggerHit(
                Required(record, prefix + "id"),
                Required(record, prefix + "expression"),
                checked((int)ParseNumber(record, prefix + "priority")),
                FromNanoseconds(ParseNumber(record, prefix + "pre_ns")),
                FromNanoseconds(ParseNumber(record, prefix + "post_ns")));
        }

        return new TriggerEvent(
            Required(record, "event_id"),
            hits,
            FromNanoseconds(ParseNumber(record, "time_ns")),
            Parse(record, "wall_clock", ParseWallClock),
            checked((int)ParseNumber(record, "trigger_set_version")),
            Parse(record, "dry_run", bool.Parse));
    }

    private static string Required(McapMetadata record, string key) =>
        record.Values.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"Metadata record '{record.Name}' lacks the key '{key}'.");

    private static long ParseNumber(McapMetadata record, string key) => Parse(record, key, ParseInteger);

    private static T Parse<T>(McapMetadata record, string key, Func<string, T> parse)
    {
        var text = Required(record, key);
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidDataException($"Metadata record '{record.Name}' has an unreadable '{key}': '{text}'.", e);
        }
    }
}
