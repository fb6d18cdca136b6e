using System.Buffers.Binary;

namespace DataCentric.Edge.TestKit.Hardware;

/// <summary>
/// Builds a captured SocketCAN byte stream: Linux <c>struct can_frame</c> records of 16 bytes
/// (u32 can_id with EFF 0x80000000 / RTR 0x40000000 / ERR 0x20000000, u8 length, 3 padding, 8 data),
/// as a raw CAN socket or <c>candump</c>'s binary log delivers them.
/// </summary>
public sealed class CanCapture
{
    private readonly MemoryStream _bytes = new();

    public int Frames { get; private set; }

    public CanCapture Frame(uint id, params byte[] data) => Record(id, data, 0);

    public CanCapture ExtendedFrame(uint id, params byte[] data) => Record(id, data, 0x8000_0000);

    public CanCapture RemoteFrame(uint id) => Record(id, [], 0x4000_0000);

    public CanCapture ErrorFrame(uint id) => Record(id, new byte[8], 0x2000_0000);

    /// <summary>Bytes that are not a whole record, as when a capture is cut off.</summary>
    public CanCapture Truncated(int bytes)
    {
        _bytes.Write(new byte[bytes]);
        return this;
    }

    public MemoryStream ToStream() => new(_bytes.ToArray(), writable: false);

    private CanCapture Record(uint id, byte[] data, uint flags)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, 8);
        Span<byte> record = stackalloc byte[16];
        record.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(record, id | flags);
        record[4] = (byte)data.Length;
        data.CopyTo(record[8..]);
        _bytes.Write(record);
        Frames++;
        return this;
    }
}
