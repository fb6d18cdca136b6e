using DataCentric.Edge.Core.Contracts;
using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

public sealed partial class LiteDbFleetCatalog
{
    public Task<CatalogWrite> RecordTriggerCountersAsync(TriggerCountersReport report, CancellationToken cancellationToken)
    {
        var snapshots = TriggerCounterSnapshot.From(report);
        cancellationToken.ThrowIfCancellationRequested();
        var added = false;
        lock (_writeLock)
        {
            // One report, one transaction; the _id is the snapshot's key, so a replay inserts nothing.
            _database.BeginTrans();
            try
            {
                foreach (var snapshot in snapshots)
                {
                    var document = LiteDbDocuments.ToDocument(snapshot);
                    if (_counts.FindById(document["_id"]) is null)
                    {
                        _counts.Insert(document);
                        added = true;
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

        return Task.FromResult(added ? CatalogWrite.Added : CatalogWrite.AlreadyPresent);
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

        if (q.To is { } to)
        {
            // A snapshot at or after To + one bucket cannot fall in a bucket starting before To.
            found = found.Where(BsonExpression.Create("$.at < @0", (to + q.Bucket).UtcTicks));
        }

        IReadOnlyList<TriggerCount> rows = TriggerCounterSnapshot.Derive(found.ToEnumerable().Select(LiteDbDocuments.ToSnapshot), q);
        return Task.FromResult(rows);
    }
}
