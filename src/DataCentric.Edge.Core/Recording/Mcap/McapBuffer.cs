using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// A growable little-endian byte buffer on pooled memory, reused record after record so that
/// writing a message allocates nothing once the buffer has grown to the largest chunk.
/// </summary>
internal sealed class McapBuffer : IDisposable
{
    private byte[] _array;

    public McapBuffer(int initialCapacity = 4096)
    {
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
    }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    public void Reset() => Length = 0;

    public void WriteByte(byte value) => GetSpan(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(GetSpan(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(GetSpan(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(GetSpan(8), value);

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(GetSpan(value.Length));

    /// <summary>uint32 byte length, then UTF-8.</summary>
    public void WriteString(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)byteCount);
        Encoding.UTF8.GetBytes(value, GetSpan(byteCount));
    }

    /// <summary>uint32 byte length, then the bytes.</summary>
    public void WritePrefixedBytes(ReadOnlySpan<byte> value)
    {
        WriteUInt32((uint)value.Length);
        WriteBytes(value);
    }

    /// <summary>Map&lt;string, string&gt;: uint32 byte length of all entries, then key/value strings.</summary>
    public void WriteStringMap(IEnumerable<KeyValuePair<string, string>> map)
    {
        var lengthAt = ReserveUInt32();
        foreach (var (key, value) in map)
        {
            WriteString(key);
            WriteString(value);
        }

        PatchLengthSince(lengthAt);
    }

    /// <summary>Starts a record; close it with <see cref="EndRecord"/>.</summary>
    public int BeginRecord(McapOpcode opcode)
    {
        WriteByte((byte)opcode);
        var lengthAt = Length;
        WriteUInt64(0);
        return lengthAt;
    }

    /// <summary>Writes the content length of the record begun at <paramref name="lengthAt"/>.</summary>
    public void EndRecord(int lengthAt) =>
        BinaryPrimitives.WriteUInt64LittleEndian(_array.AsSpan(lengthAt), (ulong)(Length - lengthAt - 8));

    /// <summary>Leaves room for a uint32 length written later by <see cref="PatchLengthSince"/>.</summary>
    public int ReserveUInt32()
    {
        var at = Length;
        WriteUInt32(0);
        return at;
    }

    public void PatchLengthSince(int lengthAt) =>
        BinaryPrimitives.WriteUInt32LittleEndian(_array.AsSpan(lengthAt), (uint)(Length - lengthAt - 4));

    public void Dispose()
    {
        var array = _array;
        _array = [];
        Length = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private Span<byte> GetSpan(int count)
    {
        var needed = (long)Length + count;
        if (needed > _array.Length)
        {
            Grow(needed);
        }

        var span = _array.AsSpan(Length, count);
        Length += count;
        return span;
    }

    private void Grow(long needed)
    {
        ObjectDisposedException.ThrowIf(_array.Length == 0, this);
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"An MCAP chunk or record cannot exceed {Array.MaxLength} bytes in memory.");
        }

        var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, (long)_array.Length * 2), Array.MaxLength));
        _array.AsSpan(0, Length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_array);
        _array = next;
    }
}
