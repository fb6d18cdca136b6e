using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Bench.Buffer;

/// <summary>Writes bytes encoded beforehand: compares the durable write path with the baseline on the very same bytes.</summary>
internal sealed class PreEncodedWriter(byte[] bytes) : IClipWriter
{
    public string FileExtension => ".mcap";

    public void Write(ClipContent clip, Stream destination) => destination.Write(bytes);
}
