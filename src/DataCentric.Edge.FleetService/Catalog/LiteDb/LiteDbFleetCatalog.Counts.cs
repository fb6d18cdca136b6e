using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

public sealed partial class LiteDbFleetCatalog
{
    public Task AddTriggerCountsAsync(IReadOnlyCollection<TriggerCount> counts, CancellationToken cancellationToken)
    {
        var merged = TriggerCount.Merge(counts);
        cancellationToken.ThrowIfCancellationRequested();
        if (merged.Count == 0)
        {
            return Task.CompletedTask;
        }

        lock (_writeLock)
        {
            // One batch, one transaction: a crash keeps all of its deltas or none.
            _database.BeginTrans();
            try
            {
                foreach (var count in merged)
                {
                    var document = LiteDbDocuments.ToDocument(count);
                    if (_counts.FindById(document["_id"]) is { } held)
                    {
                        document["count"] = checked(held["count"].AsInt64 + count.Count);
                        _counts.Update(document);
                    }
                    else
                    {
                        _counts.Insert(document);
                    }
                }

                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TriggerCount>> ListTriggerCountsAsync(TriggerCountQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        cancellationToken.ThrowIfCancellationRequested();
        var found = _counts.Query().Where(BsonExpression.Create("$.fleet = @0", q.Fleet));
        if (q.Device is { } device)
        {
            found = found.Where(BsonExpression.Create("$.device = @0", device));
        }

        if (q.TriggerId is { } trigger)
        {
            found = found.Where(BsonExpression.Create("$.trigger = @0", trigger));
        }

        if (q.Kind is { } kind)
        {
            found = found.Where(BsonExpression.Create("$.kind = @0", kind));
        }

        if (q.From is { } from)
        {
            found = found.Where(BsonExpression.Create("$.bucket >= @0", from.UtcTicks));
        }

        if (q.To is { } to)
        {
            found = found.Where(BsonExpression.Create("$.bucket < @0", to.UtcTicks));
        }

        // The same order as PostgreSQL's: bucket, device, trigger, kind (ordinal).
        IReadOnlyList<TriggerCount> rows = [.. found.ToEnumerable()
            .Select(LiteDbDocuments.ToCount)
            .OrderBy(c => c.BucketStart)
            .ThenBy(c => c.Device, StringComparer.Ordinal)
            .ThenBy(c => c.TriggerId, StringComparer.Ordinal)
            .ThenBy(c => c.Kind, StringComparer.Ordinal)
            .Take(q.Limit)];
        return Task.FromResult(rows);
    }
}
