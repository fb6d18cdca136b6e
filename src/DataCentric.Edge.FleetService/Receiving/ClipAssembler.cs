using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Staging;
using DataCentric.Edge.FleetService.ObjectStore;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.FleetService.Receiving;

/// <summary>
/// Turns a staged clip whose pieces are all in into a stored, catalogued, acknowledged clip: claims it
/// (a lease, so one receiver works on it), streams its chunks in order into a multipart upload that
/// hashes as it goes (and copies an MCAP aside for its labels, <see cref="ClipLabelCollector"/>), completes
/// the object only if size and SHA-256 match the manifest, then catalogues it and drops the staged
/// rows in one transaction, and only then publishes the ack.
/// </summary>
/// <remarks>
/// A failure of the object store or the catalog gives the claim back and leaves the staged rows: the
/// sweep tries again. A receiver killed mid-clip leaves a lease that expires, and another takes over;
/// the key is the clip's, so a second upload of the same bytes replaces the first with the same content.
/// </remarks>
internal sealed partial class ClipAssembler(
    IClipStaging staging,
    IClipObjectStore store,
    ReceiverOptions options,
    string keyPrefix,
    Func<string, string, ClipAck, Task> ackAsync,
    ReceiverCounters counters,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Assembles <paramref name="clip"/> if it is whole and nobody else holds it; does nothing otherwise.</summary>
    public async Task AssembleAsync(StagedClip clip, CancellationToken cancellationToken)
    {
        var owner = $"{options.ClientId}/{Guid.NewGuid():N}";
        var claim = await staging.TryClaimAsync(clip, owner, time.GetUtcNow(), options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return;
        }

        var manifest = claim.Manifest;
        try
        {
            var key = ClipObjectKeys.For(keyPrefix, manifest);
            var labels = new ClipLabelCollector(manifest);
            await using var labelsScope = labels.ConfigureAwait(false);
            var stored = await UploadAsync(claim, key, labels, cancellationToken).ConfigureAwait(false);
            if (!stored.Stored)
            {
                await staging.DiscardAsync(clip, cancellationToken).ConfigureAwait(false);
                counters.AddHashMismatch();
                LogHashMismatch(logger, clip.ToString(), stored.Refusal!);
                await ackAsync(clip.Fleet, clip.Device, new ClipAck(clip.ClipId, ClipAckStatus.HashMismatch, manifest.Sha256, $"received {stored.Actual}")).ConfigureAwait(false);
                return;
            }

            var catalogued = CatalogClip.From(manifest, key, time.GetUtcNow()) with { Labels = LabelsOf(labels, clip) };
            var write = await staging.CompleteAsync(claim, catalogued, cancellationToken).ConfigureAwait(false);
            if (write == CatalogWrite.Conflict)
            {
                // Another device's clip holds this id: ours is not catalogued, so its object goes too.
                await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                counters.AddRefused();
                LogConflict(logger, clip.ToString());
                return;
            }

            counters.AddCompleted();
            LogStored(logger, clip.ToString(), manifest.SizeBytes, key);
            await ackAsync(clip.Fleet, clip.Device, new ClipAck(clip.ClipId, ClipAckStatus.Complete, manifest.Sha256, null)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            counters.AddStoreFailure();
            LogFailed(logger, clip.ToString(), error);
            await ReleaseQuietlyAsync(claim).ConfigureAwait(false);
        }
    }

    /// <summary>The clip's labels; none when its bytes cannot be read as a clip (it is stored all the same: the device made it).</summary>
    private IReadOnlyList<string> LabelsOf(ClipLabelCollector labels, StagedClip clip)
    {
        try
        {
            return labels.Labels();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogLabelsUnreadable(logger, clip.ToString(), error.GetBaseException().Message);
            return [];
        }
    }

    private async Task<ClipUploadResult> UploadAsync(ClipClaim claim, string key, ClipLabelCollector labels, CancellationToken cancellationToken)
    {
        var manifest = claim.Manifest;
        var upload = await store.BeginUploadAsync(key, new ClipObjectMetadata(manifest.ClipId, manifest.TriggerIds, manifest.ModelSha256, manifest.Sha256), cancellationToken).ConfigureAwait(false);
        await using (upload.ConfigureAwait(false))
        {
            await foreach (var chunk in staging.ReadChunksAsync(claim, cancellationToken).ConfigureAwait(false))
            {
                await upload.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                await labels.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            return await upload.CompleteIfMatchesAsync(new ClipDigest(manifest.Sha256, manifest.SizeBytes), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReleaseQuietlyAsync(ClipClaim claim)
    {
        try
        {
            await staging.ReleaseAsync(claim, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // The catalog is down too: the lease expires by itself.
            LogReleaseFailed(logger, claim.Clip.ToString(), error.GetBaseException().Message);
        }
    }

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Stored clip {Clip} ({SizeBytes} bytes) as {Key}")]
    private static partial void LogStored(ILogger logger, string clip, long sizeBytes, string key);

    [LoggerMessage(EventId = 5502, Level = LogLevel.Warning, Message = "Clip {Clip} does not match its manifest ({Refusal}); discarded, asked for a resend")]
    private static partial void LogHashMismatch(ILogger logger, string clip, string refusal);

    [LoggerMessage(EventId = 5503, Level = LogLevel.Warning, Message = "Refused clip {Clip}: the catalog holds its id from another device or with other bytes")]
    private static partial void LogConflict(ILogger logger, string clip);

    [LoggerMessage(EventId = 5504, Level = LogLevel.Error, Message = "Assembling clip {Clip} failed; left staged for the next sweep")]
    private static partial void LogFailed(ILogger logger, string clip, Exception error);

    [LoggerMessage(EventId = 5505, Level = LogLevel.Warning, Message = "Could not give back the lease on clip {Clip} ({Reason}); it expires by itself")]
    private static partial void LogReleaseFailed(ILogger logger, string clip, string reason);

    [LoggerMessage(EventId = 5520, Level = LogLevel.Warning, Message = "Could not read labels from clip {Clip} ({Reason}); stored without labels")]
    private static partial void LogLabelsUnreadable(ILogger logger, string clip, string reason);
}
