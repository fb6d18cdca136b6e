using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

/// <summary>
/// The fleet catalog in one LiteDB file, for the laptop and the demo (a single dce-fleet process).
/// Documents are mapped by hand (no reflection: dce-fleet is trimmed); ids compare ordinally, as
/// PostgreSQL's <c>COLLATE "C"</c> columns do, and times are kept as ticks (BSON dates keep only
/// milliseconds), so both stores page in the same order.
/// </summary>
/// <remarks>
/// Writes are synchronous under one lock (LiteDB transactions belong to a thread: never await in
/// one). Durability: every write is in LiteDB's log when it returns, which survives kill -9; a clip
/// is also checkpointed into the data file and fsynced before <see cref="AddClipAsync"/> returns, so
/// a clip the receiver acknowledged survives power loss. A lock file keeps a second process out
/// (Direct mode does not).
/// </remarks>
public sealed partial class LiteDbFleetCatalog : IFleetCatalog, IDisposable
{
    private readonly string _path;
    private readonly FileStream _processLock;
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _devices;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly ILiteCollection<BsonDocument> _clips;
    private readonly ILiteCollection<BsonDocument> _counts;
    private readonly ILiteCollection<BsonDocument> _pulls;
    private readonly ILiteCollection<BsonDocument> _uploads;
    private readonly ILiteCollection<BsonDocument> _chunks;
    private readonly Lock _writeLock = new();
    private bool _disposed;

    /// <exception cref="IOException">Another process has the catalog open.</exception>
    public LiteDbFleetCatalog(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _path = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _processLock = AcquireProcessLock(_path);
        try
        {
            _database = new LiteDatabase(new ConnectionString
            {
                Filename = _path,
                Connection = ConnectionType.Direct,
                Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
            });
            _devices = _database.GetCollection("devices");
            _events = _database.GetCollection("events");
            _clips = _database.GetCollection("clips");
            _counts = _database.GetCollection("trigger_counter_snapshots");
            _pulls = _database.GetCollection("pull_requests");
            _uploads = _database.GetCollection("clip_uploads");
            _chunks = _database.GetCollection("clip_chunks");
            _events.EnsureIndex("bySortKey", "$.sk");
            _clips.EnsureIndex("bySortKey", "$.sk");
            _counts.EnsureIndex("byFleet", "$.fleet");
            _pulls.EnsureIndex("byFleet", "$.fleet");
            _chunks.EnsureIndex("byUpload", "$.upload");
        }
        catch
        {
            _database?.Dispose();
            _processLock.Dispose();
            throw;
        }
    }

    public Task<bool> RecordStatusAsync(DeviceStatus status, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var device = CatalogDevice.From(status, receivedAt);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            var id = LiteDbDocuments.Key(device.Fleet, device.Device);
            var held = _devices.FindById(id);
            if (held is null)
            {
                _devices.Insert(LiteDbDocuments.ToDocument(id, device));
                return Task.FromResult(true);
            }

            var before = LiteDbDocuments.ToDevice(held);
            if (before.LastSeen > device.LastSeen)
            {
                return Task.FromResult(false);
            }

            _devices.Update(LiteDbDocuments.ToDocument(id, device with
            {
                FirstSeen = before.FirstSeen,
                TriggerSetVersion = device.TriggerSetVersion ?? before.TriggerSetVersion,
            }));
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<CatalogDevice>> ListDevicesAsync(string? fleet, CancellationToken cancellationToken)
    {
        CatalogGuard.OptionalId(fleet, nameof(fleet));
        cancellationToken.ThrowIfCancellationRequested();
        var query = _devices.Query();
        if (fleet is not null)
        {
            query = query.Where(BsonExpression.Create("$.fleet = @0", fleet));
        }

        return Task.FromResult<IReadOnlyList<CatalogDevice>>([.. query.OrderBy("$._id").ToEnumerable().Select(WithAck)]);
    }

    public Task<CatalogPage<CatalogDevice>> ListDevicePageAsync(DeviceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Validated();
        cancellationToken.ThrowIfCancellationRequested();
        var found = _devices.Query();
        if (q.Fleet is { } fleet)
        {
            found = found.Where(BsonExpression.Create("$.fleet = @0", fleet));
        }

        // The id is fleet + '\u001f' + device: ordinal order of ids is (fleet, device) order.
        if (DevicePageCursor.Decode(q.After, nameof(q.After)) is { } after)
        {
            found = found.Where(BsonExpression.Create("$._id > @0", LiteDbDocuments.Key(after.Fleet, after.Device)));
        }

        var rows = found.OrderBy("$._id").Limit(q.Limit + 1).ToEnumerable().Select(WithAck).ToList();
        return Task.FromResult(CatalogPages.From(rows, q.Limit, d => new DevicePageCursor(d.Fleet, d.Device).Encode()));
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _database.Checkpoint();
            _database.Dispose();
            _processLock.Dispose();
        }
    }

    private static FileStream AcquireProcessLock(string path)
    {
        var lockPath = path + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The fleet catalog {path} is in use by another process (lock file {lockPath}).", e);
        }
    }

    /// <summary>Moves the log into the data file and fsyncs both (LiteDB syncs neither), so what was written survives power loss.</summary>
    private void CheckpointAndSync()
    {
        _database.Checkpoint();
        foreach (var file in new[] { _path, Path.ChangeExtension(_path, null) + "-log" + Path.GetExtension(_path) })
        {
            if (File.Exists(file))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                stream.Flush(flushToDisk: true);
            }
        }
    }
}
