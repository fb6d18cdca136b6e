using DataCentric.Edge.Core.Storage;
using LiteDB;

namespace DataCentric.Edge.Uplink.LiteDb;

/// <summary>
/// The catalog in one LiteDB file, Direct mode, one instance per process. Every write is a
/// synchronous call on the caller's thread (LiteDB transactions belong to a thread; never await
/// inside one). Durability point: <see cref="AddClip"/> checkpoints the log into the data file, so
/// a clip reported stored survives kill -9; plain event inserts rely on LiteDB's log, which also
/// survives kill -9 (STACK-NOTES) and is checkpointed with the next clip.
/// </summary>
public sealed class LiteDbClipCatalog : IClipCatalog, IDisposable
{
    private const string Clips = "clips";
    private const string Events = "events";

    private readonly LiteDatabase _database;
    private readonly ILiteCollection<ClipDocument> _clips;
    private readonly ILiteCollection<EventDocument> _events;
    private readonly Lock _writeLock = new();

    public LiteDbClipCatalog(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var mapper = new BsonMapper();
        mapper.EnumAsInteger = true;
        _database = new LiteDatabase(new ConnectionString { Filename = databasePath, Connection = ConnectionType.Direct }, mapper);
        _clips = _database.GetCollection<ClipDocument>(Clips);
        _events = _database.GetCollection<EventDocument>(Events);
        _clips.EnsureIndex(c => c.UploadState);
        _clips.EnsureIndex(c => c.CreatedAt);
        _events.EnsureIndex(e => e.WallClock);
        _events.EnsureIndex(e => e.TriggerIds);
    }

    public void AddEvent(StoredEvent storedEvent)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        lock (_writeLock)
        {
            _events.Upsert(EventDocument.From(storedEvent));
        }
    }

    public void AddClip(StoredClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        lock (_writeLock)
        {
            _database.BeginTrans();
            try
            {
                _clips.Upsert(ClipDocument.From(clip));
                foreach (var eventId in clip.EventIds)
                {
                    var document = _events.FindById(eventId);
                    if (document is not null)
                    {
                        document.ClipId = clip.ClipId;
                        _events.Update(document);
                    }
                }

                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }

            _database.Checkpoint();
        }
    }

    public StoredClip? FindClip(string clipId) => _clips.FindById(clipId)?.ToRecord();

    public IReadOnlyList<StoredClip> PendingUploads(int max) =>
        [.. _clips.Find(c => c.UploadState == UploadState.Pending)
            .OrderByDescending(c => c.Priority)
            .ThenBy(c => c.CreatedAt)
            .Take(max)
            .Select(c => c.ToRecord())];

    public void UpdateUpload(string clipId, UploadState state, int chunksSent)
    {
        lock (_writeLock)
        {
            var document = _clips.FindById(clipId)
                ?? throw new KeyNotFoundException($"Clip '{clipId}' is not in the catalog.");
            document.UploadState = state;
            document.ChunksSent = chunksSent;
            _clips.Update(document);
        }
    }

    public IReadOnlyList<StoredEvent> RecentEvents(int max) =>
        [.. _events.Query().OrderByDescending(e => e.WallClock).Limit(max).ToEnumerable().Select(e => e.ToRecord())];

    public IReadOnlyList<StoredClip> RecentClips(int max) =>
        [.. _clips.Query().OrderByDescending(c => c.CreatedAt).Limit(max).ToEnumerable().Select(c => c.ToRecord())];

    public void Dispose() => _database.Dispose();
}
