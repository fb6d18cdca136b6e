using System.Buffers.Binary;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// Reads CAN frames from a captured byte stream of Linux <c>struct can_frame</c> records (16 bytes:
/// u32 can_id with the EFF/RTR/ERR flags in the top bits, u8 length, 3 padding, 8 data), the way a
/// raw SocketCAN socket delivers them. For replaying captures and for tests without a CAN bus.
/// </summary>
public sealed class CapturedCanFrameReader(Stream capture) : ICanFrameReader
{
    public const int RecordBytes = 16;
    public const uint ExtendedFlag = 0x8000_0000;
    public const uint RemoteFlag = 0x4000_0000;
    public const uint ErrorFlag = 0x2000_0000;

    private readonly byte[] _record = new byte[RecordBytes];

    /// <summary>Bytes at the end of the capture that did not make a whole record.</summary>
    public int TrailingBytes { get; private set; }

    public bool TryRead(Span<byte> data, out CanFrameHeader header)
    {
        var read = capture.ReadAtLeast(_record, RecordBytes, throwOnEndOfStream: false);
        if (read < RecordBytes)
        {
            TrailingBytes = read;
            header = default;
            return false;
        }

        var raw = BinaryPrimitives.ReadUInt32LittleEndian(_record);
        var extended = (raw & ExtendedFlag) != 0;
        var length = Math.Min((int)_record[4], 8);
        _record.AsSpan(8, length).CopyTo(data);
        header = new CanFrameHeader(raw & (extended ? 0x1FFF_FFFFu : 0x7FFu), extended, (raw & RemoteFlag) != 0, (raw & ErrorFlag) != 0, length);
        return true;
    }

    public void Dispose() => capture.Dispose();
}
