namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>
/// Where dce-fleet keeps clip bytes: S3-compatible object storage in a fleet
/// (<see cref="S3.S3ClipObjectStore"/>), a local folder on a laptop
/// (<see cref="LocalDirectory.DirectoryClipObjectStore"/>). Keys come from <see cref="ClipObjectKeys"/>.
/// </summary>
/// <remarks>
/// An object appears whole or not at all: a write that fails, is cancelled or is refused (its
/// SHA-256 or length is not what the device declared) leaves nothing under its key.
/// </remarks>
public interface IClipObjectStore
{
    /// <summary>
    /// Starts writing an object: the receiver streams a clip's chunks into it in order, then
    /// completes it only if the SHA-256 and length match the manifest
    /// (<see cref="ClipUploadExtensions.CompleteIfMatchesAsync"/>). Memory stays bounded by one part.
    /// </summary>
    Task<IClipUpload> BeginUploadAsync(string key, ClipObjectMetadata metadata, CancellationToken cancellationToken);

    /// <summary>Writes a whole object from <paramref name="content"/> (read to its end, not disposed).</summary>
    /// <returns>The SHA-256 and length of what was stored.</returns>
    /// <exception cref="ClipDigestMismatchException"><paramref name="metadata"/> declares a SHA-256 the content does not have; nothing was stored.</exception>
    Task<ClipDigest> PutAsync(string key, Stream content, ClipObjectMetadata metadata, CancellationToken cancellationToken);

    /// <summary>
    /// Opens an object, or the part of it that <paramref name="range"/> selects (for HTTP Range).
    /// Null when there is no object under <paramref name="key"/>.
    /// </summary>
    /// <exception cref="ClipRangeNotSatisfiableException">The range starts at or past the end of the object.</exception>
    Task<ClipObjectContent?> OpenReadAsync(string key, ClipByteRange? range, CancellationToken cancellationToken);

    /// <summary>Length and metadata of an object; null when there is none under <paramref name="key"/>.</summary>
    Task<ClipObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes an object; removing one that is not there is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// A URL a client can GET the object from without credentials until <paramref name="validFor"/>
    /// has passed (a presigned URL); null where the store has no such thing (the local folder),
    /// and the HTTP API then streams the bytes itself. Does not check that the object exists.
    /// </summary>
    Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken);
}
