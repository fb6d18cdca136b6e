using DataCentric.Edge.FleetService.Catalog.Comparison;
using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

/// <summary>The model comparison: the rows of the model's devices, streamed into the shared builder.</summary>
public sealed partial class LiteDbFleetCatalog : IModelComparisons
{
    public async Task<ModelComparison?> CompareModelAsync(ModelComparisonQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        var acks = ModelAcks.Find(Matching("$.name = @0", q.Name, q.Fleet, q.Device)).Select(LiteDbModelDocuments.ToModelRelease);
        var builder = new ModelComparisonBuilder(q, acks);
        if (!builder.HasDevices)
        {
            return null;
        }

        var (start, end) = q.Bounds;
        foreach (var device in builder.DeviceIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AddRuns(builder, device, q.Fleet);
            foreach (var e in _events.Find(Matching("$.device = @0 AND $.wall >= @1 AND $.wall < @2", device, q.Fleet, null, start.UtcTicks, end.UtcTicks)))
            {
                var clip = e["clip"].IsNull ? null : _clips.FindById(e["clip"]);
                builder.AddEvent(e["fleet"].AsString, device, new DateTimeOffset(e["wall"].AsInt64, TimeSpan.Zero), Strings(e["triggers"]), e["dryRun"].AsBoolean,
                    clip is null ? [] : Strings(clip["models"]));
            }

            foreach (var c in _clips.Find(Matching("$.device = @0 AND $.start >= @1 AND $.start < @2", device, q.Fleet, null, start.UtcTicks, end.UtcTicks)))
            {
                builder.AddClip(c["fleet"].AsString, device, new DateTimeOffset(c["start"].AsInt64, TimeSpan.Zero), Strings(c["triggers"]), Strings(c["models"]));
            }
        }

        builder.AddReports(await ListDatasetReportsAsync(null, "import", CatalogGuard.MaxLimit, cancellationToken).ConfigureAwait(false));
        return builder.Build();
    }

    /// <summary>Each agent start of the device (per fleet), from its startedAt to its last counter report.</summary>
    private void AddRuns(ModelComparisonBuilder builder, string device, string? fleet)
    {
        var runs = _counts.Find(Matching("$.device = @0", device, fleet, null))
            .GroupBy(s => (Fleet: s["fleet"].AsString, StartedAt: s["startedAt"].AsInt64))
            .Select(g => (g.Key.Fleet, g.Key.StartedAt, Last: g.Max(s => s["at"].AsInt64)));
        foreach (var (runFleet, startedAt, last) in runs)
        {
            builder.AddRun(runFleet, device, new DateTimeOffset(startedAt, TimeSpan.Zero), new DateTimeOffset(last, TimeSpan.Zero));
        }
    }

    /// <summary><paramref name="condition"/> (its parameters @0…) and, when set, the fleet and device.</summary>
    private static BsonExpression Matching(string condition, BsonValue first, string? fleet, string? device, params BsonValue[] more)
    {
        var args = new List<BsonValue> { first };
        args.AddRange(more);
        var text = condition;
        foreach (var (field, value) in new[] { ("fleet", fleet), ("device", device) })
        {
            if (value is not null)
            {
                text += $" AND $.{field} = @{args.Count}";
                args.Add(value);
            }
        }

        return BsonExpression.Create(text, [.. args]);
    }

    private static string[] Strings(BsonValue value) => value.IsArray ? [.. value.AsArray.Select(v => v.AsString)] : [];
}
