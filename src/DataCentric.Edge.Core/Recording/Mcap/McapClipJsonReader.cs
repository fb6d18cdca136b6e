using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using static DataCentric.Edge.Core.Recording.Mcap.McapClipFormat;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>Decodes the clip's JSON messages back into frames and signal updates.</summary>
internal static class McapClipJsonReader
{
    public static Frame Frame(McapMessage message)
    {
        using var document = Parse(message);
        var root = document.RootElement;
        return new Frame(
            Sequence: Property(root, "sequence", message).GetInt64(),
            Time: FromNanoseconds(Property(root, "monotonic_ns", message).GetInt64()),
            WallClock: ParseWallClock(Property(root, "wall_clock", message).GetString() ?? string.Empty),
            Width: Property(root, "width", message).GetInt32(),
            Height: Property(root, "height", message).GetInt32(),
            Format: Property(root, "format", message).GetString() ?? string.Empty,
            Data: Property(root, "data", message).GetBytesFromBase64(),
            FrameId: Property(root, "frame_id", message).GetString() ?? string.Empty);
    }

    public static SignalUpdate Signal(McapMessage message, SignalId id, string name, SignalKind kind)
    {
        using var document = Parse(message);
        var root = document.RootElement;
        var value = Property(root, "value", message);
        var signal = kind switch
        {
            SignalKind.Number => SignalValue.FromNumber(Number(value)),
            SignalKind.Bool => SignalValue.FromBool(value.GetBoolean()),
            SignalKind.Text => SignalValue.FromText(value.GetString() ?? string.Empty),
            SignalKind.Detections => SignalValue.FromDetections(value.EnumerateArray().Select(box => new Detection(
                Property(box, "class_id", message).GetInt32(),
                Single(Property(box, "score", message)),
                Single(Property(box, "x", message)),
                Single(Property(box, "y", message)),
                Single(Property(box, "width", message)),
                Single(Property(box, "height", message)))).ToArray()),
            SignalKind.Vector => SignalValue.FromVector(value.EnumerateArray().Select(Single).ToArray()),
            _ => throw new InvalidDataException($"Unknown signal kind {kind} on '{message.Channel.Topic}'."),
        };
        var time = FromNanoseconds(Property(root, "monotonic_ns", message).GetInt64());
        return new SignalUpdate(id, name, new SignalSample(signal, time));
    }

    private static JsonDocument Parse(McapMessage message)
    {
        try
        {
            return JsonDocument.Parse(message.Data);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Message on '{message.Channel.Topic}' at log time {message.LogTime} is not valid JSON: {e.Message}", e);
        }
    }

    private static JsonElement Property(JsonElement element, string name, McapMessage message) =>
        element.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"Message on '{message.Channel.Topic}' at log time {message.LogTime} lacks '{name}'.");

    private static double Number(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? double.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : element.GetDouble();

    private static float Single(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? float.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : element.GetSingle();
}
