using DataCentric.Edge.Core.Contracts;
using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

/// <summary>Model release acks (one document per fleet, device, name and version) and staged rollouts.</summary>
public sealed partial class LiteDbFleetCatalog
{
    private ILiteCollection<BsonDocument> ModelAcks
    {
        get
        {
            var acks = _database.GetCollection("model_release_acks");
            acks.EnsureIndex("byDevice", "$.dev");
            return acks;
        }
    }

    private ILiteCollection<BsonDocument> Rollouts => _database.GetCollection("model_rollouts");

    public Task<bool> RecordModelReleaseAckAsync(ModelReleaseAck ack, CancellationToken cancellationToken)
    {
        var latest = CatalogModelRelease.From(ack);
        var id = LiteDbDocuments.Key(latest.Fleet, latest.Device, latest.Name, latest.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (ModelAcks.FindById(id) is { } held && LiteDbModelDocuments.ToModelRelease(held).At > latest.At)
            {
                return Task.FromResult(false);
            }

            ModelAcks.Upsert(LiteDbModelDocuments.ToDocument(id, LiteDbDocuments.Key(latest.Fleet, latest.Device), latest));
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<CatalogModelRelease>> ListModelReleasesAsync(string? fleet, string? name, string? device, CancellationToken cancellationToken)
    {
        var query = ModelAcks.Query();
        foreach (var (field, value) in new[] { ("fleet", fleet), ("name", name), ("device", device) })
        {
            if (CatalogGuard.OptionalId(value, field) is { } v)
            {
                query = query.Where(BsonExpression.Create($"$.{field} = @0", v));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var rows = query.ToEnumerable().Select(LiteDbModelDocuments.ToModelRelease)
            .OrderBy(r => r.Fleet, StringComparer.Ordinal).ThenBy(r => r.Device, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Version)
            .Take(CatalogGuard.MaxCountRows + 1).ToList();
        return Task.FromResult(CatalogModels.Bounded(rows));
    }

    public Task<bool> SaveRolloutAsync(CatalogRollout rollout, long expectedRevision, CancellationToken cancellationToken)
    {
        var r = CatalogModels.Checked(rollout, expectedRevision);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            var held = Rollouts.FindById(r.Id);
            var heldRevision = held is null ? 0 : held["revision"].AsInt64;
            if (heldRevision != expectedRevision)
            {
                return Task.FromResult(false);
            }

            Rollouts.Upsert(LiteDbModelDocuments.ToDocument(held is null ? r : r with { CreatedAt = LiteDbModelDocuments.ToRollout(held).CreatedAt }));
            return Task.FromResult(true);
        }
    }

    public Task<CatalogRollout?> GetRolloutAsync(string id, CancellationToken cancellationToken)
    {
        var held = Rollouts.FindById(CatalogGuard.Id(id, nameof(id)));
        return Task.FromResult(held is null ? null : LiteDbModelDocuments.ToRollout(held));
    }

    public Task<IReadOnlyList<CatalogRollout>> ListRolloutsAsync(string? fleet, string name, CancellationToken cancellationToken)
    {
        var query = Rollouts.Query().Where(BsonExpression.Create("$.name = @0", CatalogGuard.Id(name, nameof(name))));
        if (CatalogGuard.OptionalId(fleet, nameof(fleet)) is { } f)
        {
            query = query.Where(BsonExpression.Create("$.fleet = @0", f));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<CatalogRollout>>([.. query.ToEnumerable().Select(LiteDbModelDocuments.ToRollout)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Take(CatalogGuard.MaxLimit)]);
    }

    /// <summary>Per model name, the device's latest ack (by the device's time, then version).</summary>
    private IReadOnlyList<CatalogModelRelease> ModelsOf(BsonValue deviceKey)
    {
        var latest = ModelAcks.Find(BsonExpression.Create("$.dev = @0", deviceKey)).Select(LiteDbModelDocuments.ToModelRelease)
            .GroupBy(r => r.Name, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.At).ThenByDescending(r => r.Version).First())
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return latest.Count == 0 ? Array.Empty<CatalogModelRelease>() : latest;
    }
}
