using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

public sealed partial class LiteDbFleetCatalog
{
    public Task<CatalogWrite> AddPullAsync(PullRequest pull, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pull);
        var p = pull.Validated();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (_pulls.FindById(p.PullId) is { } document)
            {
                var held = LiteDbDocuments.ToPull(document);
                return Task.FromResult(
                    held.Fleet == p.Fleet && held.Device == p.Device && held.WindowFrom == p.WindowFrom && held.WindowTo == p.WindowTo
                        ? CatalogWrite.AlreadyPresent
                        : CatalogWrite.Conflict);
            }

            _pulls.Insert(LiteDbDocuments.ToDocument(p));
            return Task.FromResult(CatalogWrite.Added);
        }
    }

    public Task<bool> SetPullStateAsync(string pullId, PullState state, string? detail, DateTimeOffset at, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(pullId, nameof(pullId));
        CatalogGuard.State(state, nameof(state));
        CatalogGuard.Text(detail, nameof(detail));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (_pulls.FindById(pullId) is not { } document)
            {
                return Task.FromResult(false);
            }

            var held = LiteDbDocuments.ToPull(document);
            _pulls.Update(LiteDbDocuments.ToDocument(held with { State = state, Detail = detail, UpdatedAt = CatalogGuard.Time(at) }));
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryMovePullAsync(string pullId, PullState from, PullState state, string? detail, DateTimeOffset at, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(pullId, nameof(pullId));
        CatalogGuard.State(from, nameof(from));
        CatalogGuard.State(state, nameof(state));
        CatalogGuard.Text(detail, nameof(detail));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (_pulls.FindById(pullId) is not { } document || LiteDbDocuments.ToPull(document) is not { } held || held.State != from)
            {
                return Task.FromResult(false);
            }

            _pulls.Update(LiteDbDocuments.ToDocument(held with { State = state, Detail = detail, UpdatedAt = CatalogGuard.Time(at) }));
            return Task.FromResult(true);
        }
    }

    public Task<PullRequest?> GetPullAsync(string pullId, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(pullId, nameof(pullId));
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_pulls.FindById(pullId) is { } document ? LiteDbDocuments.ToPull(document) : null);
    }

    public Task<IReadOnlyList<PullRequest>> ListPullsAsync(string fleet, string? device, PullState? state, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(fleet, nameof(fleet));
        CatalogGuard.OptionalId(device, nameof(device));
        if (state is { } s)
        {
            CatalogGuard.State(s, nameof(state));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var found = _pulls.Query().Where(BsonExpression.Create("$.fleet = @0", fleet));
        if (device is not null)
        {
            found = found.Where(BsonExpression.Create("$.device = @0", device));
        }

        if (state is { } wanted)
        {
            found = found.Where(BsonExpression.Create("$.state = @0", CatalogGuard.Name(wanted)));
        }

        return Task.FromResult<IReadOnlyList<PullRequest>>([.. found.OrderBy("$.sk").ToEnumerable().Select(LiteDbDocuments.ToPull)]);
    }
}
