using DataCentric.Edge.Core.Contracts;
using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

public sealed partial class LiteDbFleetCatalog
{
    public Task<CatalogWrite> AddEventAsync(string fleet, string device, EventSummary summary, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var e = CatalogEvent.From(fleet, device, summary, receivedAt);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (_events.FindById(e.EventId) is not { } document)
            {
                _events.Insert(LiteDbDocuments.ToDocument(e));
                return Task.FromResult(CatalogWrite.Added);
            }

            var held = LiteDbDocuments.ToEvent(document);
            if (held.Fleet != e.Fleet || held.Device != e.Device)
            {
                return Task.FromResult(CatalogWrite.Conflict);
            }

            if (held.ClipId is null && e.ClipId is not null)
            {
                _events.Update(LiteDbDocuments.ToDocument(held with { ClipId = e.ClipId }));
            }

            return Task.FromResult(CatalogWrite.AlreadyPresent);
        }
    }

    public Task<CatalogPage<CatalogEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        cancellationToken.ThrowIfCancellationRequested();
        var found = _events.Query();
        if (q.Fleet is { } fleet)
        {
            found = found.Where(BsonExpression.Create("$.fleet = @0", fleet));
        }

        if (q.Device is { } device)
        {
            found = found.Where(BsonExpression.Create("$.device = @0", device));
        }

        if (q.TriggerId is { } trigger)
        {
            found = found.Where(BsonExpression.Create("$.triggers[*] ANY = @0", trigger));
        }

        if (q.DryRun is { } dryRun)
        {
            found = found.Where(BsonExpression.Create("$.dryRun = @0", dryRun));
        }

        if (q.From is { } from)
        {
            found = found.Where(BsonExpression.Create("$.wall >= @0", from.UtcTicks));
        }

        if (q.To is { } to)
        {
            found = found.Where(BsonExpression.Create("$.wall < @0", to.UtcTicks));
        }

        if (PageCursor.Decode(q.After, nameof(q.After)) is { } after)
        {
            found = found.Where(BsonExpression.Create("$.sk < @0", LiteDbDocuments.SortKey(after)));
        }

        var rows = found.OrderByDescending("$.sk").Limit(q.Limit + 1).ToEnumerable().Select(LiteDbDocuments.ToEvent).ToList();
        return Task.FromResult(CatalogPages.From(rows, q.Limit, e => new PageCursor(e.WallClock, e.EventId)));
    }
}
