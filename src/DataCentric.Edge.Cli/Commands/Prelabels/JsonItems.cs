using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// Writes the items of a JSON array one at a time straight to a stream (commas between them), so a
/// label file of any number of frames is written without holding its frames: the caller writes the
/// brackets around them.
/// </summary>
internal sealed class JsonItems(Stream stream) : IDisposable
{
    private readonly JsonToStream _json = new(stream, PrelabelJson.Line);
    private bool _first = true;

    public void Write(Action<Utf8JsonWriter> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        stream.Write(_first ? "\n"u8 : ",\n"u8);
        _first = false;
        item(_json.Json);
        _json.Commit();
    }

    public void Dispose() => _json.Dispose();
}
