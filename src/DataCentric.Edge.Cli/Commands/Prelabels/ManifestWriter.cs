using System.Globalization;
using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// <c>manifest.jsonl</c>: one JSON line per exported frame with where it came from (clip, device,
/// time, trigger ids, model hash) and what the models said that the label formats cannot carry
/// (classification and regression values, the primary controller's signals).
/// </summary>
internal sealed class ManifestWriter : IPrelabelWriter, IDisposable
{
    public const string FileName = "manifest.jsonl";

    private readonly FileStream _stream;
    private readonly JsonToStream _line;
    private readonly Utf8JsonWriter _json;

    public ManifestWriter(string directory)
    {
        _stream = new FileStream(Path.Combine(directory, FileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _line = new JsonToStream(_stream, PrelabelJson.Line);
        _json = _line.Json;
    }

    public void Add(LabelledFrame frame)
    {
        _json.WriteStartObject();
        _json.WriteString("image", "images/" + frame.ImageName);
        _json.WriteString("clip", frame.ClipId);
        _json.WriteString("clip_file", frame.ClipFile);
        _json.WriteString("device", frame.Device);
        _json.WriteString("time", frame.Frame.WallClock.ToString("O", CultureInfo.InvariantCulture));
        _json.WriteNumber("monotonic_ns", frame.Frame.Time.Ticks * 100);
        _json.WriteNumber("sequence", frame.Frame.Sequence);
        _json.WriteNumber("width", frame.Frame.Width);
        _json.WriteNumber("height", frame.Frame.Height);
        _json.WriteStartArray("trigger_ids");
        foreach (var id in frame.TriggerIds)
        {
            _json.WriteStringValue(id);
        }

        _json.WriteEndArray();
        _json.WriteString("model_sha256", frame.ModelSha256);
        _json.WriteString("model_name", frame.ModelName);
        _json.WriteBoolean("shadow_output", frame.HasShadowOutput);
        if (frame.Boxes is { } boxes)
        {
            _json.WriteNumber("boxes", boxes.Count);
            _json.WriteNumber("boxes_clipped", frame.ClippedBoxes);
            _json.WriteNumber("boxes_dropped", frame.DroppedBoxes);
        }
        else
        {
            _json.WriteNull("boxes");
        }

        WriteValues("model", frame.ModelValues);
        WriteValues("primary", frame.PrimaryValues);
        _json.WriteEndObject();
        _line.Commit();
        _stream.WriteByte((byte)'\n');
    }

    public void Finish() => _stream.Flush(flushToDisk: true);

    public void Dispose()
    {
        _line.Dispose();
        _stream.Dispose();
    }

    private void WriteValues(string name, IReadOnlyDictionary<string, double> values)
    {
        _json.WriteStartObject(name);
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (double.IsFinite(value))
            {
                _json.WriteNumber(key, value);
            }
            else
            {
                _json.WriteString(key, value.ToString(CultureInfo.InvariantCulture));
            }
        }

        _json.WriteEndObject();
    }
}
