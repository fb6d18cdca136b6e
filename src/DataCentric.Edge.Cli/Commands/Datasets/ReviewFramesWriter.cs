using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Cli.Commands.Prelabels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// <c>review-frames.jsonl</c>: per dataset frame, what <c>dataset import</c> compares the reviewed
/// labels with — the shadow model's boxes and the controller's own (its latest <c>primary.boxes</c> at
/// or before the frame, null when the clip has no such signal) in pixels with class names, the
/// controller's brake decision, and each trigger event of the clip (its id, trigger and time relative to
/// the frame: <c>dataset import</c> judges an event on the reviewed frame nearest its moment).
/// </summary>
internal sealed class ReviewFramesWriter : IDisposable
{
    public const string FileName = "review-frames.jsonl";
    public const string PrimaryBoxesSignal = "primary.boxes";
    public const string PrimaryBrakeSignal = "primary.brake";

    private readonly FileStream _stream;
    private readonly JsonToStream _line;
    private readonly Utf8JsonWriter _json;
    private readonly ClassNames _classes;

    public ReviewFramesWriter(string directory, ClassNames classes)
    {
        _classes = classes;
        _stream = new FileStream(Path.Combine(directory, FileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _line = new JsonToStream(_stream, PrelabelJson.Line);
        _json = _line.Json;
    }

    /// <summary>The clip's controller boxes in time order (empty list: the signal exists but no sample; null: no signal).</summary>
    public static List<SignalUpdate>? PrimaryBoxes(ClipContent clip)
    {
        var found = clip.Signals.Where(s => s.Name == PrimaryBoxesSignal && s.Sample.Value.Kind == SignalKind.Detections).ToList();
        found.Sort((a, b) => a.Sample.Time.CompareTo(b.Sample.Time));
        return found.Count == 0 && !clip.Signals.Any(s => s.Name == PrimaryBoxesSignal) ? null : found;
    }

    public void Add(LabelledFrame frame, ClipContent clip, List<SignalUpdate>? primaryBoxes)
    {
        _json.WriteStartObject();
        _json.WriteString("image", PrelabelExporter.ImagesFolder + "/" + frame.ImageName);
        _json.WriteString("clip", frame.ClipId);
        _json.WriteString("device", frame.Device);
        _json.WriteString("model", ModelVersion(frame));
        _json.WriteString("time", frame.Frame.WallClock.ToString("O", CultureInfo.InvariantCulture));
        _json.WriteNumber("width", frame.Frame.Width);
        _json.WriteNumber("height", frame.Frame.Height);
        _json.WriteStartArray("events");
        foreach (var e in clip.Events)
        {
            foreach (var hit in e.Triggers)
            {
                _json.WriteStartObject();
                _json.WriteString("event", e.EventId);
                _json.WriteString("trigger", hit.TriggerId);
                _json.WriteNumber("offset_s", Math.Round((e.Time - frame.Frame.Time).TotalSeconds, 3));
                _json.WriteEndObject();
            }
        }

        _json.WriteEndArray();
        if (frame.Boxes is { } boxes)
        {
            WriteBoxes("shadow_boxes", boxes);
        }
        else
        {
            _json.WriteNull("shadow_boxes");
        }

        if (primaryBoxes is null)
        {
            _json.WriteNull("primary_boxes");
        }
        else
        {
            var latest = primaryBoxes.LastOrDefault(s => s.Sample.Time <= frame.Frame.Time);
            var detections = latest.Name is null ? [] : latest.Sample.Value.AsDetections;
            WriteBoxes("primary_boxes", ToPixels(detections, frame.Frame.Width, frame.Frame.Height));
        }

        if (frame.PrimaryValues.TryGetValue(PrimaryBrakeSignal, out var brake) && double.IsFinite(brake))
        {
            _json.WriteNumber("primary_brake", brake);
        }
        else
        {
            _json.WriteNull("primary_brake");
        }

        _json.WriteEndObject();
        _line.Commit();
        _stream.WriteByte((byte)'\n');
    }

    public static string ModelVersion(LabelledFrame frame) => frame.ModelSha256.Length > 0 ? frame.ModelSha256 : frame.ModelName;

    public void Finish() => _stream.Flush(flushToDisk: true);

    public void Dispose()
    {
        _line.Dispose();
        _stream.Dispose();
    }

    private void WriteBoxes(string name, IEnumerable<PixelBox> boxes)
    {
        _json.WriteStartArray(name);
        foreach (var box in boxes)
        {
            _json.WriteStartObject();
            _json.WriteString("class", _classes.Name(box.ClassId));
            _json.WriteNumber("score", Math.Round(box.Score, 4));
            _json.WriteNumber("x", PrelabelJson.Round(box.X));
            _json.WriteNumber("y", PrelabelJson.Round(box.Y));
            _json.WriteNumber("w", PrelabelJson.Round(box.Width));
            _json.WriteNumber("h", PrelabelJson.Round(box.Height));
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
    }

    private static IEnumerable<PixelBox> ToPixels(IReadOnlyList<Detection> detections, int width, int height)
    {
        foreach (var d in detections)
        {
            var x0 = Math.Clamp(d.X * width, 0, width);
            var y0 = Math.Clamp(d.Y * height, 0, height);
            var x1 = Math.Clamp((d.X + d.Width) * width, 0, width);
            var y1 = Math.Clamp((d.Y + d.Height) * height, 0, height);
            if (x1 > x0 && y1 > y0)
            {
                yield return new PixelBox(d.ClassId, d.Score, x0, y0, x1 - x0, y1 - y0);
            }
        }
    }
}
