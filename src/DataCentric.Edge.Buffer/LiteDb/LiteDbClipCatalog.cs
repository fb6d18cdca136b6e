using System.Diagnostics.CodeAnalysis;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Storage;
using LiteDB;

namespace DataCentric.Edge.Buffer.LiteDb;

/// <summary>
/// The catalog in one LiteDB file, Direct mode, one instance per process. Every write is a
/// synchronous call under one lock (LiteDB transactions belong to a thread; never await inside one).
/// </summary>
/// <remarks>
/// Durability: a write that returns is in LiteDB's log, which survives kill -9 but is not synced
/// (STACK-NOTES). <see cref="AddClip"/>, <see cref="RecordEviction"/> and <see cref="Checkpoint"/>
/// move the log into the data file and fsync it before returning, so a clip reported stored also
/// survives power loss. The catalog runs the checkpoints itself (LiteDB's automatic one is off):
/// after <c>maxWritesBetweenCheckpoints</c> writes and whenever the owner calls
/// <see cref="Checkpoint"/> on a timer, which keeps the log bounded. At open, a leftover log that
/// does not belong to the data file is refused (<see cref="CatalogLogGuard"/>).
/// </remarks>
public sealed class LiteDbClipCatalog : IClipCatalog, IDisposable
{
    private const string Clips = "clips";
    private const string Events = "events";
    private const string EvictionLog = "evictions";
    private const string ConfigLog = "config_history";

    private readonly string _databasePath;
    private readonly CatalogLogGuard _guard;
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<ClipDocument> _clips;
    private readonly ILiteCollection<EventDocument> _events;
    private readonly ILiteCollection<EvictionDocument> _evictions;
    private readonly ILiteCollection<ConfigChangeDocument> _config;
    private readonly Lock _writeLock = new();
    private readonly int _maxWritesBetweenCheckpoints;
    private int _writesSinceCheckpoint;
    private bool _disposed;

    /// <exception cref="StaleCatalogLogException">A leftover log belongs to another data file; nothing was changed.</exception>
    public LiteDbClipCatalog(string databasePath, int maxWritesBetweenCheckpoints = 500)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWritesBetweenCheckpoints, 1);
        _databasePath = Path.GetFullPath(databasePath);
        _maxWritesBetweenCheckpoints = maxWritesBetweenCheckpoints;
        _guard = new CatalogLogGuard(_databasePath);
        _guard.CheckBeforeOpen();
        var logFollowsACheckpoint = _guard.LastRunEndedOutsideACheckpoint() && new FileInfo(_guard.LogPath) is { Exists: true, Length: > 0 };
        _guard.MarkBusy();

        try
        {
            _database = OpenAndReadAll();
        }
        catch (LiteException) when (logFollowsACheckpoint)
        {
            // A power loss tore the log written since the last checkpoint (its pages reach the disk in
            // any order until synced). The data file is that checkpoint, synced, and holds everything
            // reported stored; the log holds only later changes. Keep it for inspection and go on without it.
            UnreadableLogSetAside = _guard.SetAsideLog();
            _database = OpenAndReadAll();
        }

        try
        {
            _clips = _database.GetCollection<ClipDocument>(Clips);
            _events = _database.GetCollection<EventDocument>(Events);
            _evictions = _database.GetCollection<EvictionDocument>(EvictionLog);
            _config = _database.GetCollection<ConfigChangeDocument>(ConfigLog);
            CheckpointLocked();

            // LiteDB just created the data and log files if they were missing: their names must survive a power loss too.
            DirectorySync.Sync(Path.GetDirectoryName(_databasePath)!);
        }
        catch
        {
            _database.Dispose();
            throw;
        }
    }

    public string DatabasePath => _databasePath;

    /// <summary>Where an unreadable log was moved at open (see the constructor), or null when the log was fine.</summary>
    public string? UnreadableLogSetAside { get; }

    /// <summary>Where LiteDB keeps its write-ahead log (bounded by the checkpoints).</summary>
    public string LogPath => _guard.LogPath;

    public void AddEvent(StoredEvent storedEvent)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        lock (_writeLock)
        {
            // Insert without looking first: event ids are fresh; a duplicate (a replayed event) becomes an update.
            var document = EventDocument.From(storedEvent);
            try
            {
                _events.Insert(document);
            }
            catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
            {
                // A replay must not unlink the clip the event already has.
                document.ClipId ??= _events.FindById(document.Id)?.ClipId;
                _events.Update(document);
            }

            CountWrite();
        }
    }

    /// <summary>Adds many events in one transaction: the way to catalog a burst.</summary>
    public void AddEvents(IReadOnlyCollection<StoredEvent> storedEvents)
    {
        ArgumentNullException.ThrowIfNull(storedEvents);
        lock (_writeLock)
        {
            InTransaction(() => _events.Upsert(storedEvents.Select(EventDocument.From)));
            CountWrite();
        }
    }

    public void AddClip(StoredClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        lock (_writeLock)
        {
            InTransaction(() =>
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
            });
            CheckpointLocked();
        }
    }

    public StoredClip? FindClip(string clipId) => _clips.FindById(clipId)?.ToRecord();

    public IReadOnlyList<StoredClip> PendingUploads(int max) =>
        [.. _clips.Find(c => c.UploadState == UploadState.Pending)
            .Where(c => c.FileState == ClipFileState.Stored)
            .OrderByDescending(c => c.Priority)
            .ThenBy(c => c.CreatedAt)
            .Take(max)
            .Select(c => c.ToRecord())];

    /// <summary>Keeps the recorded chunk size while the position is kept; a position of 0 forgets it.</summary>
    public void UpdateUpload(string clipId, UploadState state, int chunksSent) => UpdateClip(clipId, document =>
    {
        document.UploadState = state;
        document.ChunkBytes = chunksSent == 0 ? 0 : document.ChunkBytes;
        document.ChunksSent = chunksSent;
    });

    public void UpdateUpload(string clipId, UploadState state, int chunksSent, int chunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunkBytes);
        UpdateClip(clipId, document =>
        {
            document.UploadState = state;
            document.ChunksSent = chunksSent;
            document.ChunkBytes = chunksSent == 0 ? 0 : chunkBytes;
        });
    }

    public IReadOnlyList<StoredEvent> RecentEvents(int max) =>
        [.. _events.Query().OrderByDescending(e => e.WallClock).Limit(max).ToEnumerable().Select(e => e.ToRecord())];

    public IReadOnlyList<StoredClip> RecentClips(int max) =>
        [.. _clips.Query().OrderByDescending(c => c.CreatedAt).Limit(max).ToEnumerable().Select(c => c.ToRecord())];

    public IReadOnlyList<StoredEvent> FindEvents(DateTimeOffset from, DateTimeOffset to, string? triggerId, int max)
    {
        var query = _events.Query();
        if (triggerId is not null)
        {
            query = query.Where("$.TriggerIds[*] ANY = @0", triggerId);
        }

        var (start, end) = (from.UtcDateTime, to.UtcDateTime);
        return [.. query.Where(e => e.WallClock >= start && e.WallClock < end)
            .OrderByDescending(e => e.WallClock).Limit(max).ToEnumerable().Select(e => e.ToRecord())];
    }

    public IReadOnlyList<StoredClip> FindClips(DateTimeOffset from, DateTimeOffset to, string? triggerId, int max)
    {
        var query = _clips.Query();
        if (triggerId is not null)
        {
            query = query.Where("$.TriggerIds[*] ANY = @0", triggerId);
        }

        var (start, end) = (from.UtcDateTime, to.UtcDateTime);
        return [.. query.Where(c => c.StartWall >= start && c.StartWall < end)
            .OrderByDescending(c => c.StartWall).Limit(max).ToEnumerable().Select(c => c.ToRecord())];
    }

    public IReadOnlyList<StoredClip> ClipsInUploadState(UploadState state, int max) =>
        [.. _clips.Query().Where(c => c.UploadState == state).OrderBy(c => c.CreatedAt).Limit(max).ToEnumerable().Select(c => c.ToRecord())];

    public IReadOnlyList<StoredClip> StoredClips() =>
        [.. _clips.Find(c => c.FileState == ClipFileState.Stored).Select(c => c.ToRecord())];

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimJustifications.OwnTypes)]
    public IReadOnlyDictionary<string, ClipFileState> FileStates() =>
        _clips.Query().Select(c => new { c.FileName, c.FileState }).ToEnumerable().ToDictionary(c => c.FileName, c => c.FileState, StringComparer.Ordinal);

    public void SetFileState(string clipId, ClipFileState state) => UpdateClip(clipId, document => document.FileState = state);

    public void SetPinned(string clipId, bool pinned) => UpdateClip(clipId, document => document.Pinned = pinned);

    public void RecordEviction(ClipEviction eviction)
    {
        ArgumentNullException.ThrowIfNull(eviction);
        lock (_writeLock)
        {
            InTransaction(() =>
            {
                var document = _clips.FindById(eviction.ClipId)
                    ?? throw new KeyNotFoundException($"Clip '{eviction.ClipId}' is not in the catalog.");
                document.FileState = ClipFileState.Evicted;
                _clips.Update(document);
                _evictions.Insert(EvictionDocument.From(eviction));
            });
            CheckpointLocked();
        }
    }

    public ForgottenRecords ForgetOldHistory(int keep, int maxPerPass)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerPass, 1);
        lock (_writeLock)
        {
            var forgotten = default(ForgottenRecords);
            InTransaction(() =>
            {
                // Counted through the indexes (all clips less the stored ones): no document is read when nothing is over.
                var goneClips = Excess(_clips.Count() - _clips.Count(c => c.FileState == ClipFileState.Stored), keep, maxPerPass);
                List<string> clipIds = goneClips == 0 ? [] : _clips.Query().Where(c => c.FileState != ClipFileState.Stored)
                    .OrderBy(c => c.CreatedAt).Select(c => c.Id).Limit(goneClips).ToList();
                foreach (var id in clipIds)
                {
                    _clips.Delete(id);
                }

                // The events older than the newest `keep` go, but those of a stored clip stay with it: they are read
                // among the oldest each time, so the window holds as many more as there are stored clips.
                var olderEvents = Math.Max(0, _events.Count() - keep);
                List<string> eventIds = [];
                if (olderEvents > 0)
                {
                    var stored = _clips.Query().Where(c => c.FileState == ClipFileState.Stored).Select(c => c.Id).ToEnumerable().ToHashSet(StringComparer.Ordinal);
                    eventIds = [.. _events.Query().OrderBy(e => e.WallClock).Limit(Math.Min(olderEvents, maxPerPass + stored.Count)).ToEnumerable()
                        .Where(e => e.ClipId is null || !stored.Contains(e.ClipId)).Take(maxPerPass).Select(e => e.Id)];
                }
                foreach (var id in eventIds)
                {
                    _events.Delete(id);
                }

                var oldEvictions = Excess(_evictions.Count(), keep, maxPerPass);
                List<ObjectId> evictionIds = oldEvictions == 0 ? [] : _evictions.Query().OrderBy(e => e.At).Select(e => e.Id).Limit(oldEvictions).ToList();
                foreach (var id in evictionIds)
                {
                    _evictions.Delete(id);
                }

                forgotten = new ForgottenRecords(clipIds.Count, eventIds.Count, evictionIds.Count);
            });
            if (forgotten.Total > 0)
            {
                CheckpointLocked();
            }

            return forgotten;
        }

        static int Excess(int count, int keep, int maxPerPass) => Math.Clamp(count - keep, 0, maxPerPass);
    }

    public IReadOnlyList<ClipEviction> Evictions(int max) =>
        [.. _evictions.Query().OrderByDescending(e => e.At).Limit(max).ToEnumerable().Select(e => e.ToRecord())];

    public void AddConfigChange(ConfigChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_writeLock)
        {
            _config.Insert(ConfigChangeDocument.From(change));
            CheckpointLocked();
        }
    }

    public IReadOnlyList<ConfigChange> ConfigHistory(string kind, int max) =>
        [.. _config.Query().Where(c => c.Kind == kind).OrderByDescending(c => c.AppliedAt).Limit(max).ToEnumerable().Select(c => c.ToRecord())];

    public void Checkpoint()
    {
        lock (_writeLock)
        {
            CheckpointLocked();
        }
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
            CheckpointLocked();
            _guard.MarkBusy();
            _database.Dispose();
            _guard.MarkClean();
        }
    }

    private void UpdateClip(string clipId, Action<ClipDocument> change)
    {
        lock (_writeLock)
        {
            var document = _clips.FindById(clipId)
                ?? throw new KeyNotFoundException($"Clip '{clipId}' is not in the catalog.");
            change(document);
            _clips.Update(document);
            CountWrite();
        }
    }

    private void InTransaction(Action body)
    {
        _database.BeginTrans();
        try
        {
            body();
            _database.Commit();
        }
        catch
        {
            _database.Rollback();
            throw;
        }
    }

    private void CountWrite()
    {
        if (++_writesSinceCheckpoint >= _maxWritesBetweenCheckpoints)
        {
            CheckpointLocked();
        }
    }

    private static void Sync(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Opens the database (LiteDB replays its log), sets up the indexes and reads every document once,
    /// so a damaged page fails here, at start, and not in the middle of the agent's work.
    /// </summary>
    private LiteDatabase OpenAndReadAll()
    {
        var mapper = new BsonMapper();
        mapper.EnumAsInteger = true;
        var database = new LiteDatabase(new ConnectionString { Filename = _databasePath, Connection = ConnectionType.Direct }, mapper);
        try
        {
            // Checkpoints are ours, so the guard knows every moment the data file changes.
            database.Pragma("CHECKPOINT", 0);
            var clips = database.GetCollection<ClipDocument>(Clips);
            var events = database.GetCollection<EventDocument>(Events);
            clips.EnsureIndex("byUploadState", "$.UploadState");
            clips.EnsureIndex("byFileState", "$.FileState");
            clips.EnsureIndex("byCreated", "$.CreatedAt");
            clips.EnsureIndex("byStart", "$.StartWall");
            clips.EnsureIndex("byTrigger", "$.TriggerIds[*]");
            events.EnsureIndex("byTime", "$.WallClock");
            events.EnsureIndex("byTrigger", "$.TriggerIds[*]");
            database.GetCollection<EvictionDocument>(EvictionLog).EnsureIndex("byTime", "$.At");
            database.GetCollection<ConfigChangeDocument>(ConfigLog).EnsureIndex("byKind", "$.Kind");
            foreach (var name in new[] { Clips, Events, EvictionLog, ConfigLog })
            {
                _ = database.GetCollection(name).FindAll().Count();
            }

            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    private void CheckpointLocked()
    {
        _guard.MarkBusy();

        // The log first: a power loss during the checkpoint must find every page it copies still in
        // the log (LiteDB then copies again at open), not a half-written data file and a torn log.
        Sync(_guard.LogPath);
        _database.Checkpoint();

        // LiteDB syncs neither file; fsync works through any handle on the same file. The log is
        // synced too, so its truncation by the checkpoint cannot be undone by a power loss.
        Sync(_databasePath);
        Sync(_guard.LogPath);

        _guard.MarkClean();
        _writesSinceCheckpoint = 0;
    }
}
