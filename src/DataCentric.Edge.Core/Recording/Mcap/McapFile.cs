namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>Random access to a seekable stream, with errors that say what ran short and where.</summary>
internal sealed class McapFile
{
    private readonly Stream _stream;

    public McapFile(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("Reading MCAP needs a readable, seekable stream.", nameof(stream));
        }

        _stream = stream;
        Length = stream.Length;
    }

    public long Length { get; }

    /// <summary>Reads <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
    public byte[] ReadAt(long offset, long count, string what)
    {
        if (offset < 0 || count < 0 || offset > Length || count > Length - offset)
        {
            throw McapErrors.At(offset, $"{what} needs {count} bytes but the file is {Length} bytes long (truncated?)");
        }

        if (count > Array.MaxLength)
        {
            throw McapErrors.At(offset, $"{what} claims {count} bytes, more than this reader can hold");
        }

        var buffer = new byte[count];
        ReadAt(offset, buffer, what);
        return buffer;
    }

    public void ReadAt(long offset, Span<byte> destination, string what)
    {
        _stream.Seek(offset, SeekOrigin.Begin);
        try
        {
            _stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Invalid MCAP file at byte offset {offset}: {what} ends early; the file is truncated.", e);
        }
    }

    /// <summary>Reads the opcode and content length of the record at <paramref name="offset"/>.</summary>
    public (McapOpcode Opcode, ulong ContentLength) ReadRecordPrefix(long offset, string what)
    {
        Span<byte> prefix = stackalloc byte[McapFormat.RecordPrefixLength];
        if (offset < 0 || offset > Length - McapFormat.RecordPrefixLength)
        {
            throw McapErrors.At(offset, $"{what}: the file ends before the record's opcode and length (truncated?)");
        }

        ReadAt(offset, prefix, what);
        return ((McapOpcode)prefix[0], System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(prefix[1..]));
    }
}
