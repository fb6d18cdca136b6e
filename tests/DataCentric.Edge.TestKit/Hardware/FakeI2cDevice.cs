using System.Collections.Concurrent;
using System.Device.I2c;

namespace DataCentric.Edge.TestKit.Hardware;

/// <summary>
/// An I2C sensor as a file of 256 byte registers behind a register pointer, the way IMUs behave on
/// the bus: a one-byte write sets the pointer, reads return consecutive registers from it
/// (auto-increment), a longer write stores bytes from the pointer on. Every transaction is logged.
/// </summary>
public sealed class FakeI2cDevice(int busId, int address) : I2cDevice
{
    private readonly byte[] _registers = new byte[256];
    private readonly Lock _lock = new();
    private byte _pointer;

    public override I2cConnectionSettings ConnectionSettings { get; } = new(busId, address);

    /// <summary>Data writes (register, bytes) that reached the device.</summary>
    public ConcurrentQueue<(byte Register, byte[] Data)> DataWrites { get; } = new();

    public int Reads { get; private set; }

    /// <summary>Sets registers from <paramref name="register"/> on, as the sensor's own hardware would.</summary>
    public void SetRegisters(byte register, params ReadOnlySpan<byte> values)
    {
        lock (_lock)
        {
            for (var i = 0; i < values.Length; i++)
            {
                _registers[(register + i) & 0xFF] = values[i];
            }
        }
    }

    /// <summary>Sets a big-endian 16-bit value (how IMUs lay out their axes).</summary>
    public void SetInt16BigEndian(byte register, short value) => SetRegisters(register, (byte)(value >> 8), (byte)value);

    public byte Register(byte register)
    {
        lock (_lock)
        {
            return _registers[register];
        }
    }

    public override void Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            Reads++;
            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = _registers[(_pointer + i) & 0xFF];
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        lock (_lock)
        {
            _pointer = buffer[0];
            if (buffer.Length > 1)
            {
                DataWrites.Enqueue((buffer[0], buffer[1..].ToArray()));
                for (var i = 1; i < buffer.Length; i++)
                {
                    _registers[(_pointer + i - 1) & 0xFF] = buffer[i];
                }
            }
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }
}
