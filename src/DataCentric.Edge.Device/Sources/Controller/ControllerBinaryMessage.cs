using System.Buffers.Binary;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// The compact binary controller message, little-endian, for controllers that cannot spare the
/// cycles for JSON:
/// <code>
/// offset size field
///   0     2  magic 'D' 'C' (0x44 0x43)
///   2     1  version, 1
///   3     1  N, the number of decisions, 1..32
///   4     8  controller time, signed microseconds on the controller's clock; Int64.MinValue = none
///  12  10×N  decisions: u8 index into BinarySignalOrder, u8 flags (bit 0: boolean), f64 value
/// </code>
/// The length must be exactly 12 + 10 × N.
/// </summary>
public static class ControllerBinaryMessage
{
    public const int HeaderBytes = 12;
    public const int DecisionBytes = 10;
    public const byte Version = 1;
    public const int MaxDecisions = 32;

    public static TimeSpan? Parse(ReadOnlySpan<byte> payload, IReadOnlyList<string> signalOrder, ICollection<ControllerDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(signalOrder);
        ArgumentNullException.ThrowIfNull(decisions);
        if (payload.Length < HeaderBytes)
        {
            throw new ControllerMessageException("short-binary", $"{payload.Length} bytes, the header alone is {HeaderBytes}");
        }

        if (payload[0] != (byte)'D' || payload[1] != (byte)'C')
        {
            throw new ControllerMessageException("bad-magic", $"magic is 0x{payload[0]:X2} 0x{payload[1]:X2}, not 'DC'");
        }

        if (payload[2] != Version)
        {
            throw new ControllerMessageException("bad-version", $"version {payload[2]}, only {Version} is known");
        }

        int count = payload[3];
        if (count is < 1 or > MaxDecisions)
        {
            throw new ControllerMessageException("malformed-binary", $"decision count {count} is outside 1..{MaxDecisions}");
        }

        var expected = HeaderBytes + (count * DecisionBytes);
        if (payload.Length != expected)
        {
            throw new ControllerMessageException("short-binary", $"{payload.Length} bytes, {count} decisions need exactly {expected}");
        }

        var micros = BinaryPrimitives.ReadInt64LittleEndian(payload[4..]);
        for (var i = 0; i < count; i++)
        {
            var entry = payload.Slice(HeaderBytes + (i * DecisionBytes), DecisionBytes);
            var index = entry[0];
            if (index >= signalOrder.Count)
            {
                throw new ControllerMessageException("unknown-signal", $"decision {i} has signal index {index}, only {signalOrder.Count} are configured");
            }

            var value = BinaryPrimitives.ReadDoubleLittleEndian(entry[2..]);
            if (!double.IsFinite(value))
            {
                throw new ControllerMessageException("bad-value", $"decision {i} ('{signalOrder[index]}') is not a finite number");
            }

            decisions.Add(new ControllerDecision(
                signalOrder[index],
                (entry[1] & 1) != 0 ? SignalValue.FromBool(value != 0) : SignalValue.FromNumber(value)));
        }

        return micros == long.MinValue ? null : TimeSpan.FromMicroseconds(micros);
    }

    /// <summary>Encodes a message: for controllers written in .NET and for tests.</summary>
    public static byte[] Encode(TimeSpan? controllerTime, IReadOnlyList<(byte Index, bool IsBool, double Value)> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentOutOfRangeException.ThrowIfLessThan(decisions.Count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decisions.Count, MaxDecisions);
        var bytes = new byte[HeaderBytes + (decisions.Count * DecisionBytes)];
        bytes[0] = (byte)'D';
        bytes[1] = (byte)'C';
        bytes[2] = Version;
        bytes[3] = (byte)decisions.Count;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4), controllerTime is { } t ? (long)t.TotalMicroseconds : long.MinValue);
        for (var i = 0; i < decisions.Count; i++)
        {
            var at = HeaderBytes + (i * DecisionBytes);
            bytes[at] = decisions[i].Index;
            bytes[at + 1] = decisions[i].IsBool ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at + 2), decisions[i].Value);
        }

        return bytes;
    }
}
