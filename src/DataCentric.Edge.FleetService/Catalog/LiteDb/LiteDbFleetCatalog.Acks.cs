using DataCentric.Edge.Core.Contracts;
using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

/// <summary>Each device's latest trigger-set ack, in a collection of its own (an ack may come before the first status).</summary>
public sealed partial class LiteDbFleetCatalog
{
    private ILiteCollection<BsonDocument> Acks => _database.GetCollection("trigger_set_acks");

    public Task<bool> RecordTriggerSetAckAsync(TriggerSetAck ack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var id = LiteDbDocuments.Key(CatalogGuard.Id(ack.Fleet, nameof(ack.Fleet)), CatalogGuard.Id(ack.Device, nameof(ack.Device)));
        var latest = CatalogTriggerSetAck.From(ack);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (Acks.FindById(id) is { } held && LiteDbDocuments.ToAck(held).At > latest.At)
            {
                return Task.FromResult(false);
            }

            Acks.Upsert(LiteDbDocuments.ToDocument(id, latest));
            return Task.FromResult(true);
        }
    }

    /// <summary>The device record with its latest trigger-set ack and model release acks attached.</summary>
    private CatalogDevice WithAck(BsonDocument device) =>
        LiteDbDocuments.ToDevice(device) with
        {
            TriggerSetAck = Acks.FindById(device["_id"]) is { } ack ? LiteDbDocuments.ToAck(ack) : null,
            Models = ModelsOf(device["_id"]),
        };
}
