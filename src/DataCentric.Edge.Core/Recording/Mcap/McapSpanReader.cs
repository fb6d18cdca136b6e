using System.Buffers.Binary;
using System.Text;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Reads little-endian MCAP fields from a span that was read from the file at
/// <c>baseOffset</c>, so that every error names the absolute byte offset where the data ran short.
/// </summary>
internal ref struct McapSpanReader
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly long _baseOffset;
    private readonly string _what;

    public McapSpanReader(ReadOnlySpan<byte> span, long baseOffset, string what)
    {
        _span = span;
        _baseOffset = baseOffset;
        _what = what;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _span.Length - Position;

    /// <summary>Absolute file offset of the next byte.</summary>
    public readonly long FileOffset => _baseOffset + Position;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public string ReadString() => Encoding.UTF8.GetString(Take(ReadLength()));

    /// <summary>uint32 length-prefixed bytes, copied.</summary>
    public byte[] ReadPrefixedBytes() => Take(ReadLength()).ToArray();

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    /// <summary>uint64 length-prefixed bytes, as a span of this reader's input.</summary>
    public ReadOnlySpan<byte> ReadLongPrefixedBytes()
    {
        var at = FileOffset;
        var length = ReadUInt64();
        if (length > (ulong)Remaining)
        {
            throw McapErrors.At(at, $"{_what}: a length of {length} bytes runs past the end of the record ({Remaining} bytes left)");
        }

        return Take((int)length);
    }

    public Dictionary<string, string> ReadStringMap()
    {
        var inner = TakeNested();
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (inner.Remaining > 0)
        {
            var at = inner.FileOffset;
            var key = inner.ReadString();
            var value = inner.ReadString();
            if (!map.TryAdd(key, value))
            {
                throw McapErrors.At(at, $"{_what}: duplicate map key '{key}'");
            }
        }

        return map;
    }

    public Dictionary<ushort, ulong> ReadUInt16UInt64Map()
    {
        var inner = TakeNested();
        var map = new Dictionary<ushort, ulong>();
        while (inner.Remaining > 0)
        {
            var at = inner.FileOffset;
            var key = inner.ReadUInt16();
            if (!map.TryAdd(key, inner.ReadUInt64()))
            {
                throw McapErrors.At(at, $"{_what}: duplicate map key {key}");
            }
        }

        return map;
    }

    /// <summary>A uint32 length-prefixed part (map, array) as a reader that keeps file offsets right.</summary>
    private McapSpanReader TakeNested()
    {
        var length = ReadLength();
        var offset = FileOffset;
        return new McapSpanReader(Take(length), offset, _what);
    }

    private int ReadLength()
    {
        var at = FileOffset;
        var length = ReadUInt32();
        if (length > (uint)Remaining)
        {
            throw McapErrors.At(at, $"{_what}: a length of {length} bytes runs past the end of the record ({Remaining} bytes left)");
        }

        return (int)length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw McapErrors.At(FileOffset, $"{_what}: expected {count} more bytes but the record ends after {Remaining}");
        }

        var slice = _span.Slice(Position, count);
        Position += count;
        return slice;
    }
}
