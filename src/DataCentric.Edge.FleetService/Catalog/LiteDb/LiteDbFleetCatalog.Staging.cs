using System.Globalization;
using System.Runtime.CompilerServices;
using Json = System.Text.Json.JsonSerializer;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog.Staging;
using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

/// <summary>
/// Clip staging in two collections of the catalog file: <c>clip_uploads</c> (one document per
/// manifest, with its lease) and <c>clip_chunks</c> (one per chunk, by upload, chunk size and index).
/// </summary>
/// <remarks>
/// A staged chunk is in LiteDB's log when its call returns, which survives kill -9; it is not fsynced
/// (one fsync per chunk would halve a laptop's ingest). Power loss can lose staged chunks the broker
/// already counted as delivered: the device then sees no clip ack within its ack timeout and sends the
/// clip again. A completed clip is checkpointed and fsynced before its ack, as before.
/// </remarks>
public sealed partial class LiteDbFleetCatalog
{
    public Task<StageOutcome> StageManifestAsync(ClipManifest manifest, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var clip = StagingRules.Manifest(manifest);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (Catalogued(clip, manifest.Sha256, manifest.SizeBytes) is { } catalogued)
            {
                return Task.FromResult(catalogued);
            }

            var id = UploadId(clip);
            if (_uploads.FindById(id) is not { } document)
            {
                _uploads.Insert(UploadDocument(id, clip, manifest, receivedAt));
                return Task.FromResult(StageOutcome.Staged);
            }

            var held = ManifestOf(document);
            if (!StagingRules.Changes(held, manifest))
            {
                document["updatedAt"] = Math.Max(document["updatedAt"].AsInt64, receivedAt.UtcTicks);
                _uploads.Update(document);
                return Task.FromResult(StageOutcome.Duplicate);
            }

            var keepContent = StagingRules.KeepsContent(held, manifest);
            _database.BeginTrans();
            _uploads.Update(UploadDocument(id, clip, manifest, receivedAt));
            _chunks.DeleteMany(BsonExpression.Create("$.upload = @0 AND ($.chunkBytes != @1 OR @2)", id, manifest.ChunkBytes, !keepContent));
            _database.Commit();
            return Task.FromResult(StageOutcome.Staged);
        }
    }

    public Task<StageOutcome> StageChunkAsync(StagedChunk chunk, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var c = chunk.Validated();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (_clips.FindById(c.Clip.ClipId) is { } catalogued && catalogued["fleet"].AsString == c.Clip.Fleet && catalogued["device"].AsString == c.Clip.Device)
            {
                return Task.FromResult(StageOutcome.AlreadyCatalogued);
            }

            var upload = UploadId(c.Clip);
            if (_uploads.FindById(upload) is { } held && held["chunkBytes"].AsInt32 == c.ChunkBytes && held["chunkCount"].AsInt32 != c.Count)
            {
                return Task.FromResult(StageOutcome.Conflict);
            }

            var id = ChunkId(upload, c.ChunkBytes, c.Index);
            if (_chunks.FindById(id) is not null)
            {
                return Task.FromResult(StageOutcome.Duplicate);
            }

            _chunks.Insert(new BsonDocument
            {
                ["_id"] = id,
                ["upload"] = upload,
                ["chunkBytes"] = c.ChunkBytes,
                ["index"] = c.Index,
                ["count"] = c.Count,
                ["data"] = c.Data.ToArray(),
                ["length"] = c.Data.Length,
                ["receivedAt"] = receivedAt.UtcTicks,
            });
            return Task.FromResult(StageOutcome.Staged);
        }
    }

    public Task<ClipClaim?> TryClaimAsync(StagedClip clip, string owner, DateTimeOffset now, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (_uploads.FindById(UploadId(clip)) is not { } document || !IsReady(document) || LeasedByAnother(document, owner, now))
            {
                return Task.FromResult<ClipClaim?>(null);
            }

            var leaseUntil = now + leaseFor;
            document["leaseOwner"] = owner;
            document["leaseUntil"] = leaseUntil.UtcTicks;
            _uploads.Update(document);
            return Task.FromResult<ClipClaim?>(new ClipClaim(clip, ManifestOf(document), owner, leaseUntil));
        }
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadChunksAsync(ClipClaim claim, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var upload = UploadId(claim.Clip);
        for (var index = 0; index < claim.Manifest.ChunkCount; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = _chunks.FindById(ChunkId(upload, claim.Manifest.ChunkBytes, index))
                ?? throw new InvalidDataException($"Staged chunk {index} of {claim.Clip} is missing.");
            yield return chunk["data"].AsBinary;
            await Task.Yield();
        }
    }

    public Task<CatalogWrite> CompleteAsync(ClipClaim claim, CatalogClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(clip);
        var c = clip.Validated();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            _database.BeginTrans();
            DeleteStaged(claim.Clip);
            var write = CatalogWrite.Added;
            if (_clips.FindById(c.ClipId) is { } document)
            {
                write = LiteDbDocuments.ToClip(document).IsSameClipAs(c) ? CatalogWrite.AlreadyPresent : CatalogWrite.Conflict;
            }
            else
            {
                _clips.Insert(LiteDbDocuments.ToDocument(c));
            }

            _database.Commit();
            CheckpointAndSync();
            return Task.FromResult(write);
        }
    }

    public Task DiscardAsync(StagedClip clip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clip);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            _database.BeginTrans();
            DeleteStaged(clip);
            _database.Commit();
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(ClipClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (_uploads.FindById(UploadId(claim.Clip)) is { } document && document["leaseOwner"].IsString && document["leaseOwner"].AsString == claim.Owner)
            {
                document["leaseOwner"] = BsonValue.Null;
                document["leaseUntil"] = BsonValue.Null;
                _uploads.Update(document);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StagedClip>> ListReadyAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            return Task.FromResult<IReadOnlyList<StagedClip>>(
            [
                .. _uploads.FindAll()
                    .Where(d => !LeasedByAnother(d, owner: null, now) && IsReady(d))
                    .OrderBy(d => d["updatedAt"].AsInt64)
                    .Take(limit)
                    .Select(ClipOf),
            ]);
        }
    }

    public Task<IReadOnlyList<StagedClip>> RemoveAbandonedAsync(DateTimeOffset idleSince, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var idle = idleSince.UtcTicks;
        lock (_writeLock)
        {
            var removed = new SortedSet<StagedClip>(Comparer<StagedClip>.Create((a, b) => string.CompareOrdinal(UploadId(a), UploadId(b))));
            _database.BeginTrans();
            foreach (var upload in _uploads.FindAll().ToList())
            {
                var id = upload["_id"].AsString;
                if (upload["updatedAt"].AsInt64 < idle && !LeasedByAnother(upload, owner: null, now)
                    && !_chunks.Find(BsonExpression.Create("$.upload = @0 AND $.receivedAt >= @1", id, idle)).Any())
                {
                    _uploads.Delete(id);
                    removed.Add(ClipOf(upload));
                }
            }

            foreach (var chunk in _chunks.Find(BsonExpression.Create("$.receivedAt < @0", idle)).ToList())
            {
                var upload = _uploads.FindById(chunk["upload"].AsString);
                if (upload is null || upload["chunkBytes"].AsInt32 != chunk["chunkBytes"].AsInt32 || upload["chunkCount"].AsInt32 != chunk["count"].AsInt32)
                {
                    _chunks.Delete(chunk["_id"]);
                    removed.Add(ClipOfUploadId(chunk["upload"].AsString));
                }
            }

            _database.Commit();
            return Task.FromResult<IReadOnlyList<StagedClip>>([.. removed]);
        }
    }

    public Task<IReadOnlyList<StagedUploadProgress>> ListUploadProgressAsync(string fleet, string device, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        CatalogGuard.Id(fleet, nameof(fleet));
        CatalogGuard.Id(device, nameof(device));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            // Staged uploads live for minutes, so a device has few: its manifests are read and their windows compared here.
            var progress = new List<StagedUploadProgress>();
            foreach (var upload in _uploads.Find(BsonExpression.Create("$.fleet = @0 AND $.device = @1", fleet, device)))
            {
                var manifest = ManifestOf(upload);
                if (manifest.EndWall < from || manifest.StartWall > to)
                {
                    continue;
                }

                var staged = _chunks.Query()
                    .Where(BsonExpression.Create("$.upload = @0 AND $.chunkBytes = @1", upload["_id"].AsString, manifest.ChunkBytes))
                    .Select(BsonExpression.Create("{ n: $.length }")).ToEnumerable().Select(v => (long)v["n"].AsInt32).ToList();
                progress.Add(new StagedUploadProgress(manifest.ClipId, manifest.StartWall, manifest.EndWall, manifest.SizeBytes, manifest.ChunkCount, staged.Count, staged.Sum()));
            }

            return Task.FromResult<IReadOnlyList<StagedUploadProgress>>([.. progress.OrderBy(p => p.StartWall).ThenBy(p => p.ClipId, StringComparer.Ordinal)]);
        }
    }

    public Task<StagingUsage> GetUsageAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            var bytes = _chunks.Query().Select(BsonExpression.Create("{ n: $.length }")).ToEnumerable().Sum(v => (long)v["n"].AsInt32);
            return Task.FromResult(new StagingUsage(_uploads.Count(), _chunks.Count(), bytes));
        }
    }

    private StageOutcome? Catalogued(StagedClip clip, string sha256, long sizeBytes)
    {
        if (_clips.FindById(clip.ClipId) is not { } document)
        {
            return null;
        }

        var held = LiteDbDocuments.ToClip(document);
        return held.Fleet == clip.Fleet && held.Device == clip.Device && held.Sha256 == sha256 && held.SizeBytes == sizeBytes
            ? StageOutcome.AlreadyCatalogued
            : StageOutcome.Conflict;
    }

    /// <summary>Manifest in and every chunk of the manifest's size and count staged.</summary>
    private bool IsReady(BsonDocument upload) =>
        _chunks.Count(BsonExpression.Create("$.upload = @0 AND $.chunkBytes = @1 AND $.count = @2", upload["_id"].AsString, upload["chunkBytes"].AsInt32, upload["chunkCount"].AsInt32))
        == upload["chunkCount"].AsInt32;

    private static bool LeasedByAnother(BsonDocument upload, string? owner, DateTimeOffset now) =>
        upload["leaseUntil"].IsInt64 && upload["leaseUntil"].AsInt64 > now.UtcTicks && upload["leaseOwner"].AsString != owner;

    private void DeleteStaged(StagedClip clip)
    {
        var id = UploadId(clip);
        _chunks.DeleteMany(BsonExpression.Create("$.upload = @0", id));
        _uploads.Delete(id);
    }

    private static BsonDocument UploadDocument(string id, StagedClip clip, ClipManifest manifest, DateTimeOffset at) => new()
    {
        ["_id"] = id,
        ["fleet"] = clip.Fleet,
        ["device"] = clip.Device,
        ["clip"] = clip.ClipId,
        ["manifest"] = Json.Serialize(manifest, UplinkJson.TypeInfo<ClipManifest>()),
        ["chunkBytes"] = manifest.ChunkBytes,
        ["chunkCount"] = manifest.ChunkCount,
        ["leaseOwner"] = BsonValue.Null,
        ["leaseUntil"] = BsonValue.Null,
        ["updatedAt"] = at.UtcTicks,
    };

    private static ClipManifest ManifestOf(BsonDocument upload) =>
        Json.Deserialize(upload["manifest"].AsString, UplinkJson.TypeInfo<ClipManifest>())
        ?? throw new InvalidDataException($"The staged manifest of {upload["_id"].AsString} is null.");

    private static StagedClip ClipOf(BsonDocument upload) => new(upload["fleet"].AsString, upload["device"].AsString, upload["clip"].AsString);

    private static StagedClip ClipOfUploadId(string id)
    {
        var parts = id.Split('\u001f');
        return new StagedClip(parts[0], parts[1], parts[2]);
    }

    private static string UploadId(StagedClip clip) => LiteDbDocuments.Key(clip.Fleet, clip.Device, clip.ClipId);

    private static string ChunkId(string upload, int chunkBytes, int index) =>
        LiteDbDocuments.Key(upload, chunkBytes.ToString("D10", CultureInfo.InvariantCulture), index.ToString("D10", CultureInfo.InvariantCulture));
}
