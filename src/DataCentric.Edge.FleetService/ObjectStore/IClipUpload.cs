namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>
/// One object being written in order. Nothing is visible under <see cref="Key"/> until
/// <see cref="CompleteAsync"/>; disposing an upload that was not completed aborts it.
/// </summary>
/// <remarks>
/// The usual sequence is <see cref="WriteAsync"/> for every chunk, then
/// <see cref="ClipUploadExtensions.CompleteIfMatchesAsync"/>, which calls <see cref="FinishAsync"/>,
/// compares the digest with what the device declared, and completes or aborts.
/// Not thread-safe: one writer at a time.
/// </remarks>
public interface IClipUpload : IAsyncDisposable
{
    string Key { get; }

    /// <summary>Bytes written so far.</summary>
    long Length { get; }

    /// <summary>Appends <paramref name="data"/>; may send a part to the store when a part is full.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Ends writing: sends what is still buffered (the last part; an object no larger than one part
    /// goes in a single request at completion) and returns the SHA-256 and length of everything
    /// written. The object is still invisible; the caller now completes or aborts. Calling it again
    /// returns the same digest.
    /// </summary>
    Task<ClipDigest> FinishAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the object visible under <see cref="Key"/> (finishing first if needed).
    /// </summary>
    /// <exception cref="ClipDigestMismatchException">The metadata declared a SHA-256 the bytes do not have; the upload was aborted.</exception>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Discards everything written: nothing appears under <see cref="Key"/>. Safe to call more than
    /// once. Removing what the server holds of an unfinished multipart upload is best effort: a
    /// failure is logged (the bucket's lifecycle rule removes it later), not thrown.
    /// </summary>
    Task AbortAsync(CancellationToken cancellationToken);
}
