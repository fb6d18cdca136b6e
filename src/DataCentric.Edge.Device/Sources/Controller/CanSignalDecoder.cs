using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Sensors;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// Decodes CAN frames into signals with the configured map (frame id, start bit, length, byte
/// order, scale, offset), DBC conventions. A frame with an unmapped id or too few bytes for its
/// signals is counted and publishes nothing.
/// </summary>
public sealed class CanSignalDecoder
{
    private readonly Dictionary<uint, Mapped[]> _byFrame;
    private readonly BadInputCounter _badInput;

    public CanSignalDecoder(ControllerFeedOptions options, BadInputCounter badInput)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(badInput);
        _badInput = badInput;
        _byFrame = options.CanSignals
            .GroupBy(s => s.FrameId)
            .ToDictionary(g => g.Key, g => g.Select(s => new Mapped(s, $"{options.SignalPrefix}.{s.Name}", RequiredBytes(s))).ToArray());
    }

    public BadInputCounter BadInput => _badInput;

    public long FramesDecoded { get; private set; }

    public void Register(SignalBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        foreach (var signal in _byFrame.Values.SelectMany(m => m))
        {
            signal.Id = bus.Register(signal.FullName, signal.Options.Kind == "Bool" ? SignalKind.Bool : SignalKind.Number);
        }
    }

    /// <summary>Publishes every signal the frame carries; false (counted) for an unknown id or a short payload.</summary>
    public bool Decode(SignalBus bus, uint frameId, ReadOnlySpan<byte> data, TimeSpan time)
    {
        ArgumentNullException.ThrowIfNull(bus);
        if (!_byFrame.TryGetValue(frameId, out var signals))
        {
            _badInput.Report("unknown-id", $"frame id 0x{frameId:X} is not in the signal map");
            return false;
        }

        foreach (var signal in signals)
        {
            if (data.Length < signal.RequiredBytes)
            {
                _badInput.Report("short-payload", $"frame 0x{frameId:X} has {data.Length} bytes; '{signal.Options.Name}' needs {signal.RequiredBytes}");
                return false;
            }
        }

        foreach (var signal in signals)
        {
            var physical = (Raw(signal.Options, data) * signal.Options.Scale) + signal.Options.Offset;
            bus.Publish(
                signal.Id,
                signal.Options.Kind == "Bool" ? SignalValue.FromBool(physical != 0) : SignalValue.FromNumber(physical),
                time);
        }

        FramesDecoded++;
        return true;
    }

    /// <summary>The raw value of a signal (sign-extended when signed), before scale and offset.</summary>
    public static double Raw(CanSignalOptions signal, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ulong raw = 0;
        if (signal.ByteOrder == CanByteOrder.LittleEndian)
        {
            for (var k = signal.Length - 1; k >= 0; k--)
            {
                var position = signal.StartBit + k;
                raw = (raw << 1) | (uint)((data[position / 8] >> (position % 8)) & 1);
            }
        }
        else
        {
            // Motorola: the start bit is the MSB; walk down within a byte, then to bit 7 of the next byte.
            var position = signal.StartBit;
            for (var k = 0; k < signal.Length; k++)
            {
                raw = (raw << 1) | (uint)((data[position / 8] >> (position % 8)) & 1);
                position = position % 8 == 0 ? position + 15 : position - 1;
            }
        }

        if (signal.Signed && signal.Length < 64 && (raw & (1UL << (signal.Length - 1))) != 0)
        {
            return (long)(raw | (ulong.MaxValue << signal.Length));
        }

        return signal.Signed ? (long)raw : raw;
    }

    private static int RequiredBytes(CanSignalOptions signal)
    {
        if (signal.ByteOrder == CanByteOrder.LittleEndian)
        {
            return (signal.StartBit + signal.Length + 7) / 8;
        }

        var position = signal.StartBit;
        var last = position;
        for (var k = 1; k < signal.Length; k++)
        {
            position = position % 8 == 0 ? position + 15 : position - 1;
            last = Math.Max(last, position);
        }

        return (last / 8) + 1;
    }

    private sealed class Mapped(CanSignalOptions options, string fullName, int requiredBytes)
    {
        public CanSignalOptions Options { get; } = options;

        public string FullName { get; } = fullName;

        public int RequiredBytes { get; } = requiredBytes;

        public SignalId Id { get; set; }
    }
}
