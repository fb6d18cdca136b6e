using System.Globalization;
using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

/// <summary>
/// Records to BSON documents and back, by hand (no mapper reflection). Times are UTC ticks (BSON
/// dates keep milliseconds only); <c>sk</c> is the keyset sort key, "{ticks:D19}|{id}", which sorts
/// ordinally as (time, id) does.
/// </summary>
internal static class LiteDbDocuments
{
    /// <summary>A composite id; '\u001f' cannot occur in an id (CatalogGuard), so keys cannot collide.</summary>
    public static string Key(params string[] parts) => string.Join('\u001f', parts);

    public static string SortKey(DateTimeOffset time, string id) => string.Create(CultureInfo.InvariantCulture, $"{time.UtcTicks:D19}|{id}");

    public static string SortKey(PageCursor cursor) => SortKey(cursor.Time, cursor.Id);

    public static BsonDocument ToDocument(string id, CatalogDevice d) => new()
    {
        ["_id"] = id,
        ["fleet"] = d.Fleet,
        ["device"] = d.Device,
        ["state"] = d.State,
        ["detail"] = Text(d.Detail),
        ["version"] = d.TriggerSetVersion is { } v ? v : BsonValue.Null,
        ["statusAt"] = d.StatusAt is { } at ? at.UtcTicks : BsonValue.Null,
        ["firstSeen"] = d.FirstSeen.UtcTicks,
        ["lastSeen"] = d.LastSeen.UtcTicks,
    };

    public static CatalogDevice ToDevice(BsonDocument d) => new(
        d["fleet"].AsString,
        d["device"].AsString,
        d["state"].AsString,
        OptionalText(d["detail"]),
        d["version"].IsNull ? null : d["version"].AsInt32,
        d["statusAt"].IsNull ? null : Time(d["statusAt"]),
        Time(d["firstSeen"]),
        Time(d["lastSeen"]));

    public static BsonDocument ToDocument(string id, CatalogTriggerSetAck a) => new()
    {
        ["_id"] = id,
        ["version"] = a.Version is { } v ? v : BsonValue.Null,
        ["decision"] = a.Decision,
        ["reason"] = Text(a.Reason),
        ["active"] = a.ActiveVersion,
        ["at"] = a.At.UtcTicks,
    };

    public static CatalogTriggerSetAck ToAck(BsonDocument d) => new(
        d["version"].IsNull ? null : d["version"].AsInt32,
        d["decision"].AsString,
        OptionalText(d["reason"]),
        d["active"].AsInt32,
        Time(d["at"]));

    public static BsonDocument ToDocument(CatalogEvent e) => new()
    {
        ["_id"] = e.EventId,
        ["fleet"] = e.Fleet,
        ["device"] = e.Device,
        ["triggers"] = Array(e.TriggerIds),
        ["wall"] = e.WallClock.UtcTicks,
        ["priority"] = e.Priority,
        ["dryRun"] = e.DryRun,
        ["version"] = e.TriggerSetVersion,
        ["clip"] = Text(e.ClipId),
        ["receivedAt"] = e.ReceivedAt.UtcTicks,
        ["sk"] = SortKey(e.WallClock, e.EventId),
    };

    public static CatalogEvent ToEvent(BsonDocument d) => new(
        d["_id"].AsString,
        d["fleet"].AsString,
        d["device"].AsString,
        Strings(d["triggers"]),
        Time(d["wall"]),
        d["priority"].AsInt32,
        d["dryRun"].AsBoolean,
        d["version"].AsInt32,
        OptionalText(d["clip"]),
        Time(d["receivedAt"]));

    public static BsonDocument ToDocument(CatalogClip c) => new()
    {
        ["_id"] = c.ClipId,
        ["fleet"] = c.Fleet,
        ["device"] = c.Device,
        ["file"] = c.FileName,
        ["size"] = c.SizeBytes,
        ["sha256"] = c.Sha256,
        ["key"] = c.ObjectKey,
        ["priority"] = c.Priority,
        ["triggers"] = Array(c.TriggerIds),
        ["model"] = Text(c.ModelSha256),
        ["models"] = Array(c.ModelShas),
        ["labels"] = Array(c.Labels),
        ["frames"] = c.FrameCount,
        ["start"] = c.StartWall.UtcTicks,
        ["end"] = c.EndWall.UtcTicks,
        ["receivedAt"] = c.ReceivedAt.UtcTicks,
        ["sk"] = SortKey(c.StartWall, c.ClipId),
    };

    public static CatalogClip ToClip(BsonDocument d) => new(
        d["_id"].AsString,
        d["fleet"].AsString,
        d["device"].AsString,
        d["file"].AsString,
        d["size"].AsInt64,
        d["sha256"].AsString,
        d["key"].AsString,
        d["priority"].AsInt32,
        Strings(d["triggers"]),
        OptionalText(d["model"]),
        d["frames"].AsInt32,
        Time(d["start"]),
        Time(d["end"]),
        Time(d["receivedAt"]))
    {
        // Clips catalogued before labels existed have none.
        Labels = d.TryGetValue("labels", out var labels) ? Strings(labels) : [],
    };

    public static BsonDocument ToDocument(TriggerCounterSnapshot s) => new()
    {
        ["_id"] = Key(s.Fleet, s.Device, s.TriggerId, s.StartedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), s.At.UtcTicks.ToString(CultureInfo.InvariantCulture)),
        ["fleet"] = s.Fleet,
        ["device"] = s.Device,
        ["trigger"] = s.TriggerId,
        ["startedAt"] = s.StartedAt.UtcTicks,
        ["at"] = s.At.UtcTicks,
        ["version"] = s.TriggerSetVersion,
        ["counts"] = new BsonArray(s.Counts.Select(c => new BsonValue(c))),
    };

    public static TriggerCounterSnapshot ToSnapshot(BsonDocument d) => new(
        d["fleet"].AsString,
        d["device"].AsString,
        d["trigger"].AsString,
        Time(d["startedAt"]),
        Time(d["at"]),
        d["version"].AsInt32,
        [.. d["counts"].AsArray.Select(c => c.AsInt64)]);

    public static BsonDocument ToDocument(PullRequest p) => new()
    {
        ["_id"] = p.PullId,
        ["fleet"] = p.Fleet,
        ["device"] = p.Device,
        ["from"] = p.WindowFrom.UtcTicks,
        ["to"] = p.WindowTo.UtcTicks,
        ["priority"] = p.Priority,
        ["state"] = CatalogGuard.Name(p.State),
        ["detail"] = Text(p.Detail),
        ["requestedAt"] = p.RequestedAt.UtcTicks,
        ["updatedAt"] = p.UpdatedAt.UtcTicks,
        ["sk"] = SortKey(p.RequestedAt, p.PullId),
    };

    public static PullRequest ToPull(BsonDocument d) => new(
        d["_id"].AsString,
        d["fleet"].AsString,
        d["device"].AsString,
        Time(d["from"]),
        Time(d["to"]),
        d["priority"].AsInt32,
        CatalogGuard.ParseState(d["state"].AsString),
        OptionalText(d["detail"]),
        Time(d["requestedAt"]),
        Time(d["updatedAt"]));

    private static BsonValue Text(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private static string? OptionalText(BsonValue value) => value.IsNull ? null : value.AsString;

    private static BsonArray Array(IEnumerable<string> values) => new(values.Select(v => new BsonValue(v)));

    private static string[] Strings(BsonValue value) => [.. value.AsArray.Select(v => v.AsString)];

    private static DateTimeOffset Time(BsonValue ticks) => new(ticks.AsInt64, TimeSpan.Zero);
}
