using System.Buffers;
using System.Text.Json;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Encodes a detections sample as a <c>foxglove.ImageAnnotations</c> JSON message: each box as a
/// closed polygon (<c>points</c>, type LINE_LOOP) in the camera image's pixels, with a
/// "class score" text label at its top-left corner, stamped with the frame's time so Foxglove's
/// image panel draws it over that frame. The returned span is valid until the next call.
/// </summary>
internal sealed class McapImageAnnotationsJson : IDisposable
{
    /// <summary>Foxglove's PointsAnnotationType.LINE_LOOP: a closed polygon.</summary>
    private const int LineLoop = 2;
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    // Distinct colours for the first classes (RGB 0..1); further classes reuse them.
    private static readonly (double R, double G, double B)[] Palette =
    [
        (0.12, 0.47, 0.71), (1.0, 0.50, 0.05), (0.17, 0.63, 0.17), (0.84, 0.15, 0.16),
        (0.58, 0.40, 0.74), (0.55, 0.34, 0.29), (0.89, 0.47, 0.76), (0.74, 0.74, 0.13),
    ];

    private readonly ArrayBufferWriter<byte> _buffer = new(4 * 1024);
    private readonly Utf8JsonWriter _json;

    public McapImageAnnotationsJson()
    {
        _json = new Utf8JsonWriter(_buffer);
    }

    public ReadOnlySpan<byte> Encode(IReadOnlyList<Detection> detections, ulong logTime, int width, int height)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteStartArray("circles");
        _json.WriteEndArray();

        _json.WriteStartArray("points");
        foreach (var d in detections)
        {
            if (!IsDrawable(d))
            {
                continue;
            }

            double left = d.X * width, top = d.Y * height, right = (d.X + d.Width) * width, bottom = (d.Y + d.Height) * height;
            _json.WriteStartObject();
            WriteTimestamp(logTime);
            _json.WriteNumber("type", LineLoop);
            _json.WriteStartArray("points");
            WritePoint(left, top);
            WritePoint(right, top);
            WritePoint(right, bottom);
            WritePoint(left, bottom);
            _json.WriteEndArray();
            WriteColor("outline_color", ColorOf(d.ClassId), 1);
            _json.WriteStartArray("outline_colors");
            _json.WriteEndArray();
            WriteColor("fill_color", ColorOf(d.ClassId), 0.15);
            _json.WriteNumber("thickness", 2);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();

        _json.WriteStartArray("labels");
        foreach (var d in detections)
        {
            if (!IsDrawable(d))
            {
                continue;
            }

            _json.WriteStartObject();
            WriteTimestamp(logTime);
            _json.WriteStartObject("position");
            _json.WriteNumber("x", d.X * width);
            _json.WriteNumber("y", d.Y * height);
            _json.WriteEndObject();
            _json.WriteString("text", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.ClassId} {d.Score:0.00}"));
            _json.WriteNumber("font_size", 12);
            WriteColor("text_color", (1, 1, 1), 1);
            WriteColor("background_color", ColorOf(d.ClassId), 0.8);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose() => _json.Dispose();

    /// <summary>JSON numbers cannot be NaN or infinite; such a box is left out of the drawing (the signal channel keeps it).</summary>
    private static bool IsDrawable(in Detection d) =>
        float.IsFinite(d.X) && float.IsFinite(d.Y) && float.IsFinite(d.Width) && float.IsFinite(d.Height);

    private void WriteTimestamp(ulong logTime)
    {
        _json.WriteStartObject("timestamp");
        _json.WriteNumber("sec", logTime / NanosecondsPerSecond);
        _json.WriteNumber("nsec", logTime % NanosecondsPerSecond);
        _json.WriteEndObject();
    }

    private void WritePoint(double x, double y)
    {
        _json.WriteStartObject();
        _json.WriteNumber("x", x);
        _json.WriteNumber("y", y);
        _json.WriteEndObject();
    }

    private static (double R, double G, double B) ColorOf(int classId) => Palette[((classId % Palette.Length) + Palette.Length) % Palette.Length];

    private void WriteColor(string name, (double R, double G, double B) color, double alpha)
    {
        var (r, g, b) = color;
        _json.WriteStartObject(name);
        _json.WriteNumber("r", r);
        _json.WriteNumber("g", g);
        _json.WriteNumber("b", b);
        _json.WriteNumber("a", alpha);
        _json.WriteEndObject();
    }
}
