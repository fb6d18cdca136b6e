using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog.Staging;

/// <summary>
/// Clip uploads held durably while their manifest and chunks arrive, in the catalog's own store so
/// that completing one (the clip's catalog row in, the staged rows out) is one transaction.
/// Receivers keep nothing in memory between messages: any of them may stage any piece, and
/// whoever sees the last piece claims the upload and assembles it.
/// </summary>
/// <remarks>
/// Every method is idempotent under QoS 1 redelivery and under several receivers: a duplicate
/// manifest or chunk is harmless, and of two receivers claiming one upload only one gets it.
/// </remarks>
public interface IClipStaging
{
    /// <summary>
    /// Stages a manifest (already checked against its topic). A manifest that changes the size, hash or
    /// chunk size of a staged upload replaces it and drops the chunks that no longer fit.
    /// </summary>
    Task<StageOutcome> StageManifestAsync(ClipManifest manifest, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Stages one chunk, even before its manifest. Durable when the task completes.</summary>
    Task<StageOutcome> StageChunkAsync(StagedChunk chunk, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the upload for assembly when its manifest and every chunk of the manifest's size are
    /// staged and nobody holds a live lease on it. Null otherwise (incomplete, or another receiver has it).
    /// </summary>
    Task<ClipClaim?> TryClaimAsync(StagedClip clip, string owner, DateTimeOffset now, TimeSpan leaseFor, CancellationToken cancellationToken);

    /// <summary>The claimed upload's chunks in order, one at a time (memory stays one chunk).</summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadChunksAsync(ClipClaim claim, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: catalogues the clip (whose object is stored) and removes the staged upload.
    /// <see cref="CatalogWrite.AlreadyPresent"/> when another receiver completed it first.
    /// </summary>
    Task<CatalogWrite> CompleteAsync(ClipClaim claim, CatalogClip clip, CancellationToken cancellationToken);

    /// <summary>Removes a staged upload and its chunks (its bytes did not match the manifest: the device sends it again).</summary>
    Task DiscardAsync(StagedClip clip, CancellationToken cancellationToken);

    /// <summary>Gives a claim back before its lease ends (the object store failed): the next sweep retries.</summary>
    Task ReleaseAsync(ClipClaim claim, CancellationToken cancellationToken);

    /// <summary>Uploads complete in staging whose lease is free or expired, oldest first: what a sweep assembles.</summary>
    Task<IReadOnlyList<StagedClip>> ListReadyAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Removes uploads and stray chunks nothing was written to since <paramref name="idleSince"/> and that
    /// nobody holds a live lease on (a device that never finished, late duplicates of a completed clip).
    /// </summary>
    /// <returns>The uploads (or chunk groups without a manifest) removed.</returns>
    Task<IReadOnlyList<StagedClip>> RemoveAbandonedAsync(DateTimeOffset idleSince, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The uploads of <paramref name="device"/> with a manifest whose window overlaps [<paramref name="from"/>, <paramref name="to"/>],
    /// each with the chunks of its manifest's size staged so far, by start time. Uploads without a manifest are not listed
    /// (their window is not known yet).
    /// </summary>
    Task<IReadOnlyList<StagedUploadProgress>> ListUploadProgressAsync(string fleet, string device, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>How much is staged now: for metrics and the bench.</summary>
    Task<StagingUsage> GetUsageAsync(CancellationToken cancellationToken);
}
