using System.Text.Json;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// The JSON controller message, specified by <c>firmware-config/controller/controller-message.schema.json</c>:
/// <c>{"time": 12.345, "decisions": {"brake": true, "steer": -0.05}, "perception": {...}}</c>.
/// <c>time</c> is the controller's own clock in seconds and may be left out (then the receive time
/// is used); decisions are booleans or numbers; the optional <c>perception</c> object carries the
/// controller's own detections and class labels (<see cref="ControllerPerceptionJson"/>). A message
/// has decisions, perception or both. Unknown fields are skipped, for newer writers.
/// </summary>
public static class ControllerJsonMessage
{
    public static ControllerMessageTime Parse(ReadOnlySpan<byte> payload, ICollection<ControllerDecision> decisions, ControllerClasses classes)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(classes);
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
        TimeSpan? time = null;
        TimeSpan? perceived = null;
        var sawDecisions = false;
        var sawPerception = false;
        long perceptionAt = 0;
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the message");
            while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("time"u8))
                {
                    Read(ref reader);
                    time = ReadTime(ref reader, "time");
                }
                else if (reader.ValueTextEquals("decisions"u8))
                {
                    Read(ref reader);
                    Expect(ref reader, JsonTokenType.StartObject, "'decisions'");
                    ReadDecisions(ref reader, decisions);
                    sawDecisions = true;
                }
                else if (reader.ValueTextEquals("perception"u8))
                {
                    Read(ref reader);
                    perceptionAt = reader.TokenStartIndex;
                    perceived = ControllerPerceptionJson.Read(ref reader, decisions, classes);
                    sawPerception = true;
                }
                else
                {
                    // Unknown fields are for newer readers: skip the value.
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw new ControllerMessageException("malformed-json", $"unexpected {reader.TokenType} at byte {reader.TokenStartIndex}");
            }

            if (reader.Read())
            {
                throw new ControllerMessageException("malformed-json", $"trailing data at byte {reader.TokenStartIndex}");
            }
        }
        catch (JsonException e)
        {
            throw new ControllerMessageException("malformed-json", $"not JSON: {e.Message}", e);
        }

        if (!sawDecisions && !sawPerception)
        {
            throw new ControllerMessageException("malformed-json", "no 'decisions' or 'perception' object");
        }

        if (perceived is not null && time is null)
        {
            throw new ControllerMessageException("bad-time", $"'perception.time' (perception at byte {perceptionAt}) needs the message's 'time' (both are on the controller's clock)");
        }

        return new ControllerMessageTime(time, perceived);
    }

    /// <summary>A time in seconds on the controller's clock; the reader is on its value.</summary>
    internal static TimeSpan ReadTime(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds) || !double.IsFinite(seconds) || Math.Abs(seconds) > 1e9)
        {
            throw new ControllerMessageException("bad-time", $"'{field}' must be a number of seconds within ±1e9, found {reader.TokenType} at byte {reader.TokenStartIndex}");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    internal static bool Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new ControllerMessageException("malformed-json", $"truncated at byte {reader.BytesConsumed}");
        }

        return true;
    }

    internal static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType == JsonTokenType.None)
        {
            Read(ref reader);
        }

        if (reader.TokenType != type)
        {
            throw new ControllerMessageException("malformed-json", $"{what} must be a JSON object, found {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }

    private static void ReadDecisions(ref Utf8JsonReader reader, ICollection<ControllerDecision> decisions)
    {
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            Read(ref reader);
            decisions.Add(reader.TokenType switch
            {
                JsonTokenType.True => new ControllerDecision(name, SignalValue.FromBool(true)),
                JsonTokenType.False => new ControllerDecision(name, SignalValue.FromBool(false)),
                JsonTokenType.Number when reader.TryGetDouble(out var number) && double.IsFinite(number) =>
                    new ControllerDecision(name, SignalValue.FromNumber(number)),
                _ => throw new ControllerMessageException("bad-value", $"decision '{name}' must be a boolean or a finite number, not {reader.TokenType} at byte {reader.TokenStartIndex}"),
            });
        }
    }
}
