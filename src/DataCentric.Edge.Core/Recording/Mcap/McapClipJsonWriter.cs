using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using static DataCentric.Edge.Core.Recording.Mcap.McapClipFormat;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Encodes frames, signals and events as the clip's JSON messages into one reused buffer: the
/// returned span is valid until the next call. Frame bytes go straight to base64 in the buffer.
/// </summary>
internal sealed class McapClipJsonWriter : IDisposable
{
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    // Relaxed escaping keeps base64 '+' and expression operators readable instead of \u002B.
    private readonly Utf8JsonWriter _json;

    public McapClipJsonWriter()
    {
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public ReadOnlySpan<byte> Frame(Frame frame, ulong logTime)
    {
        Begin();
        _json.WriteStartObject("timestamp");
        _json.WriteNumber("sec", logTime / NanosecondsPerSecond);
        _json.WriteNumber("nsec", logTime % NanosecondsPerSecond);
        _json.WriteEndObject();
        _json.WriteString("frame_id", frame.FrameId);
        _json.WriteString("format", frame.Format);
        _json.WriteNumber("sequence", frame.Sequence);
        _json.WriteNumber("monotonic_ns", ToNanoseconds(frame.Time));
        WriteWallClock(frame.WallClock);
        _json.WriteNumber("width", frame.Width);
        _json.WriteNumber("height", frame.Height);
        _json.WriteBase64String("data", frame.Data.Span);
        return End();
    }

    public ReadOnlySpan<byte> Signal(SignalUpdate update)
    {
        var value = update.Sample.Value;
        Begin();
        _json.WriteString("kind", KindName(value.Kind));
        _json.WriteNumber("monotonic_ns", ToNanoseconds(update.Sample.Time));
        _json.WritePropertyName("value");
        switch (value.Kind)
        {
            case SignalKind.Number:
                WriteNumber(value.Number);
                break;
            case SignalKind.Bool:
                _json.WriteBooleanValue(value.AsBool);
                break;
            case SignalKind.Text:
                _json.WriteStringValue(value.AsText);
                break;
            case SignalKind.Detections:
                _json.WriteStartArray();
                foreach (var detection in value.AsDetections)
                {
                    _json.WriteStartObject();
                    _json.WriteNumber("class_id", detection.ClassId);
                    _json.WritePropertyName("score");
                    WriteNumber(detection.Score);
                    _json.WritePropertyName("x");
                    WriteNumber(detection.X);
                    _json.WritePropertyName("y");
                    WriteNumber(detection.Y);
                    _json.WritePropertyName("width");
                    WriteNumber(detection.Width);
                    _json.WritePropertyName("height");
                    WriteNumber(detection.Height);
                    _json.WriteEndObject();
                }

                _json.WriteEndArray();
                break;
            case SignalKind.Vector:
                _json.WriteStartArray();
                foreach (var item in value.AsVector.Span)
                {
                    WriteNumber(item);
                }

                _json.WriteEndArray();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(update), value.Kind, "Unknown signal kind.");
        }

        return End();
    }

    public ReadOnlySpan<byte> Event(TriggerEvent triggerEvent)
    {
        Begin();
        _json.WriteString("event_id", triggerEvent.EventId);
        _json.WriteNumber("monotonic_ns", ToNanoseconds(triggerEvent.Time));
        WriteWallClock(triggerEvent.WallClock);
        _json.WriteNumber("trigger_set_version", triggerEvent.TriggerSetVersion);
        _json.WriteBoolean("dry_run", triggerEvent.DryRun);
        _json.WriteNumber("priority", triggerEvent.Priority);
        _json.WriteStartArray("triggers");
        foreach (var hit in triggerEvent.Triggers)
        {
            _json.WriteStartObject();
            _json.WriteString("trigger_id", hit.TriggerId);
            _json.WriteString("expression", hit.Expression);
            _json.WriteNumber("priority", hit.Priority);
            _json.WriteNumber("pre_ns", ToNanoseconds(hit.Pre));
            _json.WriteNumber("post_ns", ToNanoseconds(hit.Post));
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        return End();
    }

    public void Dispose() => _json.Dispose();

    /// <summary>JSON has no NaN or infinity: those travel as strings ("NaN", "Infinity", "-Infinity").</summary>
    private void WriteNumber(double value)
    {
        if (double.IsFinite(value))
        {
            _json.WriteNumberValue(value);
        }
        else
        {
            _json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private void WriteNumber(float value)
    {
        if (float.IsFinite(value))
        {
            _json.WriteNumberValue(value);
        }
        else
        {
            _json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Round-trip ("O") format through the stack, not a string per message.</summary>
    private void WriteWallClock(DateTimeOffset value)
    {
        Span<char> text = stackalloc char[64];
        if (!value.TryFormat(text, out var length, "O", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A round-trip date never exceeds 64 characters.");
        }

        _json.WriteString("wall_clock", text[..length]);
    }

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
    }

    private ReadOnlySpan<byte> End()
    {
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }
}
