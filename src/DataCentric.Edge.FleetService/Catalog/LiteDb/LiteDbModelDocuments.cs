using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

/// <summary>Model release acks and rollouts to BSON and back, by hand (times as UTC ticks, as the other documents).</summary>
internal static class LiteDbModelDocuments
{
    public static BsonDocument ToDocument(string id, string deviceKey, CatalogModelRelease r) => new()
    {
        ["_id"] = id,
        ["dev"] = deviceKey,
        ["fleet"] = r.Fleet,
        ["device"] = r.Device,
        ["name"] = r.Name,
        ["version"] = r.Version,
        ["sha"] = Optional(r.Sha256),
        ["stage"] = r.Stage,
        ["reasons"] = new BsonArray(r.Reasons.Select(x => new BsonDocument { ["reason"] = x.Reason, ["message"] = x.Message })),
        ["active"] = r.ActiveVersion,
        ["activeSha"] = Optional(r.ActiveSha256),
        ["bytes"] = r.BytesReceived is { } b ? b : BsonValue.Null,
        ["probation"] = r.Probation is { } p
            ? new BsonDocument
            {
                ["frames"] = p.Frames,
                ["errors"] = p.Errors,
                ["p50"] = p.LatencyP50Ms,
                ["p95"] = p.LatencyP95Ms,
                ["rss"] = p.ResidentBytes,
                ["limit"] = p.MemoryLimitBytes is { } l ? l : BsonValue.Null,
            }
            : BsonValue.Null,
        ["at"] = r.At.UtcTicks,
    };

    public static CatalogModelRelease ToModelRelease(BsonDocument d) => new(
        d["fleet"].AsString,
        d["device"].AsString,
        d["name"].AsString,
        d["version"].AsInt32,
        OptionalText(d["sha"]),
        d["stage"].AsString,
        [.. d["reasons"].AsArray.Select(x => new CatalogModelReason(x["reason"].AsString, x["message"].AsString))],
        d["active"].AsInt32,
        OptionalText(d["activeSha"]),
        new DateTimeOffset(d["at"].AsInt64, TimeSpan.Zero))
    {
        BytesReceived = d["bytes"].IsNull ? null : d["bytes"].AsInt64,
        Probation = d["probation"].IsNull ? null : new CatalogProbation(
            d["probation"]["frames"].AsInt32,
            d["probation"]["errors"].AsInt32,
            d["probation"]["p50"].AsDouble,
            d["probation"]["p95"].AsDouble,
            d["probation"]["rss"].AsInt64,
            d["probation"]["limit"].IsNull ? null : d["probation"]["limit"].AsInt64),
    };

    public static BsonDocument ToDocument(CatalogRollout r) => new()
    {
        ["_id"] = r.Id,
        ["fleet"] = r.Fleet,
        ["name"] = r.Name,
        ["version"] = r.Version,
        ["revision"] = r.Revision,
        ["document"] = r.Document,
        ["createdAt"] = r.CreatedAt.UtcTicks,
        ["updatedAt"] = r.UpdatedAt.UtcTicks,
    };

    public static CatalogRollout ToRollout(BsonDocument d) => new(
        d["_id"].AsString,
        d["fleet"].AsString,
        d["name"].AsString,
        d["version"].AsInt32,
        d["revision"].AsInt64,
        d["document"].AsString,
        new DateTimeOffset(d["createdAt"].AsInt64, TimeSpan.Zero),
        new DateTimeOffset(d["updatedAt"].AsInt64, TimeSpan.Zero));

    private static BsonValue Optional(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private static string? OptionalText(BsonValue value) => value.IsNull ? null : value.AsString;
}
