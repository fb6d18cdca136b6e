namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// Writes one exported image: the clip's JPEG bytes as recorded, never decoded. One positioned write
/// through a bare handle: the bytes are already one block, so a FileStream's buffer and, for
/// thousands of small files, the async path's thread-pool hops would cost more than the write.
/// The file must be new (every exported frame has its own name in a fresh folder): creating it
/// exclusively also spares the truncation a replacing open does.
/// </summary>
internal static class ImageFiles
{
    public static void Write(string path, ReadOnlySpan<byte> image)
    {
        using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        RandomAccess.Write(file, image, fileOffset: 0);
    }
}
