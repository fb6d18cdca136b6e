namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>
/// An open object, or the slice of it a range selected: <see cref="Content"/> yields exactly
/// <see cref="Length"/> bytes starting at <see cref="Offset"/>. Dispose it to release the
/// connection or file.
/// </summary>
public sealed class ClipObjectContent(Stream content, long offset, long length, ClipObjectInfo info) : IAsyncDisposable, IDisposable
{
    public Stream Content { get; } = content ?? throw new ArgumentNullException(nameof(content));

    /// <summary>Where the slice starts in the object.</summary>
    public long Offset { get; } = offset;

    /// <summary>How many bytes <see cref="Content"/> yields.</summary>
    public long Length { get; } = length;

    /// <summary>The whole object's length and metadata.</summary>
    public ClipObjectInfo Info { get; } = info ?? throw new ArgumentNullException(nameof(info));

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}
