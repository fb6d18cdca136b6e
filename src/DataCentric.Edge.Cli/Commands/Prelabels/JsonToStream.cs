using System.Buffers;
using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> for one JSON value at a time into a buffered file stream. A writer
/// made over the stream itself flushes the stream on every <see cref="Utf8JsonWriter.Flush"/>: one
/// write system call per exported frame and file. This one writes into a reused buffer and hands each
/// value to the stream's own buffer, which goes to the file when it is full.
/// </summary>
internal sealed class JsonToStream : IDisposable
{
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public JsonToStream(Stream stream, JsonWriterOptions options)
    {
        _stream = stream;
        Json = new Utf8JsonWriter(_buffer, options);
    }

    /// <summary>Write one complete value here, then <see cref="Commit"/>.</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>Moves the value written since the last commit into the stream's buffer.</summary>
    public void Commit()
    {
        Json.Flush();
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        Json.Reset();
    }

    public void Dispose() => Json.Dispose();
}
