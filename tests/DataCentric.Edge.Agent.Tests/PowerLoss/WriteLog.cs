using System.Buffers.Binary;
using System.Text;

namespace DataCentric.Edge.Agent.Tests.PowerLoss;

/// <summary>What writelog.c records; the numbers are the shim's.</summary>
internal enum WriteOp : byte
{
    Open = 1,
    Truncate,
    Write,
    Fsync,
    DirectorySync,
    Rename,
    Link,
    Unlink,
    MakeDirectory,
    RemoveDirectory,
    Output,
    Unsupported,
}

/// <summary>
/// One record: paths are absolute; <see cref="Offset"/> is a write's offset or a truncation's length,
/// <see cref="ModifiedNs"/> the file's modification time after it (Unix ns).
/// </summary>
internal sealed record WriteRecord(int Index, WriteOp Op, string? Path, string? OtherPath, byte[] Data, long Inode, long Offset, long ModifiedNs);

/// <summary>Reads the binary log writelog.c appends: a 33-byte header, then two byte strings.</summary>
internal static class WriteLog
{
    private const int HeaderBytes = 33;

    /// <param name="whileWritten">The agent still runs: a record cut off at the end is one still being appended (after what the caller waited for), not damage.</param>
    public static IReadOnlyList<WriteRecord> Read(string path, bool whileWritten = false)
    {
        byte[] bytes;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }

        var records = new List<WriteRecord>();
        var at = 0;
        while (at + HeaderBytes <= bytes.Length)
        {
            var head = bytes.AsSpan(at, HeaderBytes);
            var op = (WriteOp)head[0];
            var aLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(head[1..]);
            var bLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(head[5..]);
            var inode = BinaryPrimitives.ReadInt64LittleEndian(head[9..]);
            var offset = BinaryPrimitives.ReadInt64LittleEndian(head[17..]);
            var modified = BinaryPrimitives.ReadInt64LittleEndian(head[25..]);
            if (whileWritten && at + HeaderBytes + aLength + bLength > bytes.Length)
            {
                break;
            }

            if (at + HeaderBytes + aLength + bLength > bytes.Length || op is < WriteOp.Open or > WriteOp.Unsupported)
            {
                throw new InvalidDataException($"{path}: record {records.Count} at byte {at} is cut off or unknown (op {(byte)op})");
            }

            var a = aLength == 0 ? null : Encoding.UTF8.GetString(bytes, at + HeaderBytes, aLength);
            var b = bytes.AsSpan(at + HeaderBytes + aLength, bLength).ToArray();
            var other = op is WriteOp.Rename or WriteOp.Link ? Encoding.UTF8.GetString(b) : null;
            records.Add(new WriteRecord(records.Count, op, a, other, other is null ? b : [], inode, offset, modified));
            at += HeaderBytes + aLength + bLength;
        }

        return records;
    }
}
