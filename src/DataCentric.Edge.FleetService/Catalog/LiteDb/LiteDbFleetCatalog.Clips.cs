using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

public sealed partial class LiteDbFleetCatalog
{
    public Task<CatalogWrite> AddClipAsync(CatalogClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var c = clip.Validated();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (_clips.FindById(c.ClipId) is { } document)
            {
                var held = LiteDbDocuments.ToClip(document);
                return Task.FromResult(held.IsSameClipAs(c) ? CatalogWrite.AlreadyPresent : CatalogWrite.Conflict);
            }

            _clips.Insert(LiteDbDocuments.ToDocument(c));
            CheckpointAndSync();
            return Task.FromResult(CatalogWrite.Added);
        }
    }

    public Task<CatalogClip?> GetClipAsync(string clipId, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(clipId, nameof(clipId));
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_clips.FindById(clipId) is { } document ? LiteDbDocuments.ToClip(document) : null);
    }

    public Task<CatalogPage<CatalogClip>> ListClipsAsync(ClipQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        cancellationToken.ThrowIfCancellationRequested();
        var found = _clips.Query();
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

        if (q.ModelSha256 is { } model)
        {
            found = found.Where(BsonExpression.Create("$.models[*] ANY = @0", model));
        }

        if (q.Label is { } label)
        {
            found = found.Where(BsonExpression.Create("$.labels[*] ANY = @0", label));
        }

        if (q.From is { } from)
        {
            found = found.Where(BsonExpression.Create("$.end >= @0", from.UtcTicks));
        }

        if (q.To is { } to)
        {
            found = found.Where(BsonExpression.Create("$.start < @0", to.UtcTicks));
        }

        if (PageCursor.Decode(q.After, nameof(q.After)) is { } after)
        {
            found = found.Where(BsonExpression.Create("$.sk < @0", LiteDbDocuments.SortKey(after)));
        }

        var rows = found.OrderByDescending("$.sk").Limit(q.Limit + 1).ToEnumerable().Select(LiteDbDocuments.ToClip).ToList();
        return Task.FromResult(CatalogPages.From(rows, q.Limit, c => new PageCursor(c.StartWall, c.ClipId)));
    }
}
