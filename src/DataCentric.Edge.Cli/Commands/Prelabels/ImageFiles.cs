namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// Writes one exported image. Synchronously and without a buffer: the bytes are already one block,
/// and for thousands of small files the async path's thread-pool hops cost more than the write.
/// </summary>
internal static class ImageFiles
{
    public static void Write(string path, ReadOnlySpan<byte> image)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        file.Write(image);
    }
}
