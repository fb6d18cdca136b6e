using System.Text.Json;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// The <c>perception</c> object of a JSON controller message: what the controller's own perception
/// saw, in the same units as the shadow model's detections so <c>iou_miss</c> compares like with like.
/// <code>
/// "perception": {
///   "time": 12.300,                   // optional: capture time of the perceived frame, controller clock (needs the message's "time")
///   "detections": {                   // list name → primary.&lt;name&gt; (a Detections signal)
///     "boxes": [ {"class": "car", "score": 0.91, "box": {"x": 0.41, "y": 0.38, "width": 0.18, "height": 0.22}} ]
///   },
///   "labels": {"scene": "car"}         // name → primary.&lt;name&gt; (a Label signal: one class name)
/// }
/// </code>
/// Boxes are normalised to the camera frame (0..1, origin top-left, x right, y down): x and y in
/// [0, 1), width and height in (0, 1]; a box reaching past the right or bottom edge is clipped to it.
/// A class is a configured class name or its id (a whole number, the index in
/// <see cref="ControllerFeedOptions.Classes"/>); a score is in [0, 1]. At most
/// <see cref="MaxDetectionsPerList"/> detections per list. Every error names the field and the byte.
/// </summary>
public static class ControllerPerceptionJson
{
    /// <summary>A list longer than this is refused whole: a hostile feed cannot grow memory.</summary>
    public const int MaxDetectionsPerList = 64;

    /// <summary>Reads the value of <c>perception</c> (the reader is on it); returns its time, if given.</summary>
    internal static TimeSpan? Read(ref Utf8JsonReader reader, ICollection<ControllerDecision> decisions, ControllerClasses classes)
    {
        ControllerJsonMessage.Expect(ref reader, JsonTokenType.StartObject, "'perception'");
        TimeSpan? time = null;
        while (ControllerJsonMessage.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("time"u8))
            {
                ControllerJsonMessage.Read(ref reader);
                time = ControllerJsonMessage.ReadTime(ref reader, "perception.time");
            }
            else if (reader.ValueTextEquals("detections"u8))
            {
                ControllerJsonMessage.Read(ref reader);
                ControllerJsonMessage.Expect(ref reader, JsonTokenType.StartObject, "'perception.detections'");
                while (ControllerJsonMessage.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    ControllerJsonMessage.Read(ref reader);
                    decisions.Add(new ControllerDecision(name, SignalValue.FromDetections(ReadList(ref reader, $"perception.detections.{name}", classes)), Perceived: true));
                }
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                ControllerJsonMessage.Read(ref reader);
                ControllerJsonMessage.Expect(ref reader, JsonTokenType.StartObject, "'perception.labels'");
                while (ControllerJsonMessage.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    ControllerJsonMessage.Read(ref reader);
                    decisions.Add(new ControllerDecision(name, SignalValue.FromText(ReadLabel(ref reader, $"perception.labels.{name}", classes)), Perceived: true));
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return time;
    }

    private static Detection[] ReadList(ref Utf8JsonReader reader, string field, ControllerClasses classes)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Bad(field, $"must be an array of detections, found {reader.TokenType}", ref reader);
        }

        List<Detection>? list = null;
        while (ControllerJsonMessage.Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = list?.Count ?? 0;
            if (index == MaxDetectionsPerList)
            {
                throw new ControllerMessageException("too-many-detections", $"'{field}' has more than {MaxDetectionsPerList} detections (at byte {reader.TokenStartIndex})");
            }

            (list ??= []).Add(ReadDetection(ref reader, $"{field}[{index}]", classes));
        }

        return list is null ? [] : [.. list];
    }

    private static Detection ReadDetection(ref Utf8JsonReader reader, string field, ControllerClasses classes)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Bad(field, $"must be an object with class, score and box, found {reader.TokenType}", ref reader);
        }

        var start = reader.TokenStartIndex;
        int? classId = null;
        float? score = null;
        (float X, float Y, float Width, float Height)? box = null;
        while (ControllerJsonMessage.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("class"u8))
            {
                ControllerJsonMessage.Read(ref reader);
                classId = ReadClass(ref reader, $"{field}.class", classes);
            }
            else if (reader.ValueTextEquals("score"u8))
            {
                ControllerJsonMessage.Read(ref reader);
                score = (float)Number(ref reader, $"{field}.score", 0, 1, minExclusive: false);
            }
            else if (reader.ValueTextEquals("box"u8))
            {
                ControllerJsonMessage.Read(ref reader);
                box = ReadBox(ref reader, $"{field}.box");
            }
            else
            {
                reader.Skip();
            }
        }

        var missing = classId is null ? "class" : score is null ? "score" : box is null ? "box" : null;
        if (missing is not null)
        {
            throw new ControllerMessageException("bad-detection", $"'{field}' has no '{missing}' (object at byte {start})");
        }

        var (x, y, width, height) = box!.Value;
        return new Detection(classId!.Value, score!.Value, x, y, width, height);
    }

    private static (float X, float Y, float Width, float Height) ReadBox(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Bad(field, $"must be an object {{x, y, width, height}} normalised to the frame, found {reader.TokenType}", ref reader);
        }

        var start = reader.TokenStartIndex;
        double? x = null, y = null, width = null, height = null;
        while (ControllerJsonMessage.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            ControllerJsonMessage.Read(ref reader);
            switch (name)
            {
                case "x":
                    x = Number(ref reader, $"{field}.x", 0, 1, minExclusive: false, maxExclusive: true);
                    break;
                case "y":
                    y = Number(ref reader, $"{field}.y", 0, 1, minExclusive: false, maxExclusive: true);
                    break;
                case "width":
                    width = Number(ref reader, $"{field}.width", 0, 1, minExclusive: true);
                    break;
                case "height":
                    height = Number(ref reader, $"{field}.height", 0, 1, minExclusive: true);
                    break;
                default:
                    // A box is exactly these four numbers: "x2" or "left" means another box format.
                    throw new ControllerMessageException("bad-detection", $"'{field}' has an unknown field '{name}' at byte {reader.TokenStartIndex}; a box is {{x, y, width, height}} normalised to the frame");
            }
        }

        if (x is null || y is null || width is null || height is null)
        {
            var missing = x is null ? "x" : y is null ? "y" : width is null ? "width" : "height";
            throw new ControllerMessageException("bad-detection", $"'{field}' has no '{missing}' (box at byte {start})");
        }

        // Clipped to the frame, as the shadow model's boxes are compared inside it.
        return ((float)x, (float)y, (float)Math.Min(width.Value, 1 - x.Value), (float)Math.Min(height.Value, 1 - y.Value));
    }

    private static int ReadClass(ref Utf8JsonReader reader, string field, ControllerClasses classes)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var name = reader.GetString()!;
            return classes.TryGetId(name, out var id)
                ? id
                : throw new ControllerMessageException("unknown-class", $"'{field}' is '{name}' at byte {reader.TokenStartIndex}, not one of the configured classes ({classes.Describe()})");
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number) && double.IsFinite(number) && number >= 0 && Math.Floor(number) == number)
        {
            return number < classes.Count
                ? (int)number
                : throw new ControllerMessageException("unknown-class", $"'{field}' is id {number} at byte {reader.TokenStartIndex}; configured ids are 0..{classes.Count - 1} ({classes.Describe()})");
        }

        throw Bad(field, $"must be a class name or a whole class id ≥ 0, found {reader.TokenType}", ref reader);
    }

    private static string ReadLabel(ref Utf8JsonReader reader, string field, ControllerClasses classes)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new ControllerMessageException("bad-label", $"'{field}' must be a class name (a string), found {reader.TokenType} at byte {reader.TokenStartIndex}");
        }

        var name = reader.GetString()!;
        return classes.TryGetId(name, out var id)
            ? classes.NameOf(id)
            : throw new ControllerMessageException("unknown-class", $"'{field}' is '{name}' at byte {reader.TokenStartIndex}, not one of the configured classes ({classes.Describe()})");
    }

    private static double Number(ref Utf8JsonReader reader, string field, double min, double max, bool minExclusive, bool maxExclusive = false)
    {
        var range = $"{(minExclusive ? "(" : "[")}{min}, {max}{(maxExclusive ? ")" : "]")}";
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw Bad(field, $"must be a finite number in {range}, found {reader.TokenType}", ref reader);
        }

        var below = minExclusive ? value <= min : value < min;
        var above = maxExclusive ? value >= max : value > max;
        return below || above
            ? throw Bad(field, $"must be in {range}, found {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}", ref reader)
            : value;
    }

    private static ControllerMessageException Bad(string field, string problem, ref Utf8JsonReader reader) =>
        new("bad-detection", $"'{field}' {problem} at byte {reader.TokenStartIndex}");
}
