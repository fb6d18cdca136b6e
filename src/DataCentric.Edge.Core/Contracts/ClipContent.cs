using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// Everything a clip holds, independent of the file format: frames and signal samples in
/// [<see cref="Start"/>, <see cref="End"/>] (monotonic), the events that caused it, and metadata
/// (model SHA-256, agent version, device id...).
/// </summary>
public sealed record ClipContent(
    string ClipId,
    TimeSpan Start,
    TimeSpan End,
    DateTimeOffset WallClockStart,
    IReadOnlyList<Frame> Frames,
    IReadOnlyList<SignalUpdate> Signals,
    IReadOnlyList<TriggerEvent> Events,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>
    /// Where the frames' bytes are rented from, for a clip the recorder cut: whoever writes the
    /// clip disposes it once written, and <see cref="Frames"/> must not be read after that. Null
    /// for frames in plain arrays (a clip read back from a file, a test's).
    /// </summary>
    public IDisposable? FrameMemory { get; init; }
}

/// <summary>Writes a clip in one file format.</summary>
public interface IClipWriter
{
    /// <summary>File extension including the dot, e.g. <c>.mcap</c>.</summary>
    string FileExtension { get; }

    void Write(ClipContent clip, Stream destination);
}

/// <summary>Reads back what an <see cref="IClipWriter"/> of the same format wrote.</summary>
public interface IClipReader
{
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, or not this format; the message says where.</exception>
    ClipContent Read(Stream source);
}
