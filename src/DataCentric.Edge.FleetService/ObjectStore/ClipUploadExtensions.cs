using System.Buffers;

namespace DataCentric.Edge.FleetService.ObjectStore;

public static class ClipUploadExtensions
{
    private const int CopyBufferBytes = 128 * 1024;

    /// <summary>
    /// Finishes the upload and completes it only if its bytes are <paramref name="expected"/>;
    /// otherwise aborts it (nothing is stored) and says why.
    /// </summary>
    public static async Task<ClipUploadResult> CompleteIfMatchesAsync(this IClipUpload upload, ClipDigest expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(expected);
        var actual = await upload.FinishAsync(cancellationToken).ConfigureAwait(false);
        if (!actual.Matches(expected))
        {
            await upload.AbortAsync(cancellationToken).ConfigureAwait(false);
            return new ClipUploadResult(Stored: false, expected, actual);
        }

        await upload.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return new ClipUploadResult(Stored: true, expected, actual);
    }

    /// <summary>Writes <paramref name="source"/> to its end through a pooled buffer.</summary>
    public static async Task WriteFromAsync(this IClipUpload upload, Stream source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(source);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await upload.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// <see cref="IClipObjectStore.PutAsync"/> as every store does it: an upload written from
    /// <paramref name="content"/> and completed (refused if the metadata declares another SHA-256).
    /// </summary>
    internal static async Task<ClipDigest> PutThroughUploadAsync(this IClipObjectStore store, string key, Stream content, ClipObjectMetadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var upload = await store.BeginUploadAsync(key, metadata, cancellationToken).ConfigureAwait(false);
        await using (upload.ConfigureAwait(false))
        {
            await upload.WriteFromAsync(content, cancellationToken).ConfigureAwait(false);
            var digest = await upload.FinishAsync(cancellationToken).ConfigureAwait(false);
            await upload.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return digest;
        }
    }
}
