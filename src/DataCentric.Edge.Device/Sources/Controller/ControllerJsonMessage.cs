using System.Text.Json;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// The JSON controller message: <c>{"time": 12.345, "decisions": {"brake": true, "steer": -0.05}}</c>.
/// <c>time</c> is the controller's own clock in seconds and may be left out (then the receive time
/// is used); decisions are booleans or numbers.
/// </summary>
public static class ControllerJsonMessage
{
    public static TimeSpan? Parse(ReadOnlySpan<byte> payload, ICollection<ControllerDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 4 });
        TimeSpan? time = null;
        var sawDecisions = false;
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the message");
            while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("time"u8))
                {
                    Read(ref reader);
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds) || !double.IsFinite(seconds) || Math.Abs(seconds) > 1e9)
                    {
                        throw new ControllerMessageException("bad-time", $"'time' must be a number of seconds, at byte {reader.TokenStartIndex}");
                    }

                    time = TimeSpan.FromSeconds(seconds);
                }
                else if (reader.ValueTextEquals("decisions"u8))
                {
                    Read(ref reader);
                    Expect(ref reader, JsonTokenType.StartObject, "'decisions'");
                    ReadDecisions(ref reader, decisions);
                    sawDecisions = true;
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

        if (!sawDecisions)
        {
            throw new ControllerMessageException("malformed-json", "no 'decisions' object");
        }

        return time;
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

    private static bool Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new ControllerMessageException("malformed-json", $"truncated at byte {reader.BytesConsumed}");
        }

        return true;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
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
}
