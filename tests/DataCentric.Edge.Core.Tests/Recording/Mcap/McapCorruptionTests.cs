using System.Buffers.Binary;
using System.Text;
using DataCentric.Edge.Core.Recording.Mcap;

namespace DataCentric.Edge.Core.Tests.Recording.Mcap;

/// <summary>Truncated and corrupt files are rejected with what was wrong and where.</summary>
[Trait("Category", "Unit")]
public sealed class McapCorruptionTests
{
    private static readonly McapWriterOptions SmallChunks = new() { ChunkThresholdBytes = 8 * 1024 };

    [Fact]
    public void Read_ByteFlippedInsideAChunk_ThrowsChunkCrcMismatchNamingTheChunkOffset()
    {
        var file = McapTestClips.Write(McapTestClips.Create(frameCount: 30, seed: 21), SmallChunks);
        var chunks = McapReader.Open(new MemoryStream(file)).Summary.ChunkIndexes;
        var chunk = chunks[chunks.Count / 2];
        file[(int)(chunk.ChunkStartOffset + (chunk.ChunkLength / 2))] ^= 0x01;

        var error = Assert.Throws<InvalidDataException>(() => McapTestClips.Read(file));

        Assert.Contains("chunk CRC mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains($"byte offset {chunk.ChunkStartOffset}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ByteFlippedInMetadata_ThrowsDataSectionCrcMismatch()
    {
        var file = McapTestClips.Write(McapTestClips.Create(frameCount: 5, seed: 22));
        var at = IndexOf(file, "pi5-garage-01"u8);
        file[at] = (byte)'P';

        var error = Assert.Throws<InvalidDataException>(() => McapTestClips.Read(file));

        Assert.Contains("data section CRC mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ByteFlippedInSummary_ThrowsSummaryCrcMismatch()
    {
        var file = McapTestClips.Write(McapTestClips.Create(frameCount: 5, seed: 23));
        var summaryStart = (long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(file.Length - 8 - 20));
        var at = IndexOf(file.AsSpan((int)summaryStart), "/signals/shadow.label"u8) + (int)summaryStart;
        file[at + 10] ^= 0x20;

        var error = Assert.Throws<InvalidDataException>(() => McapReader.Open(new MemoryStream(file)));

        Assert.Contains("summary CRC mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains($"byte offset {summaryStart}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMessages_MessageIndexPointingAtTheWrongRecord_Throws()
    {
        var file = McapTestClips.Write(McapTestClips.Create(frameCount: 10, seed: 24));
        var chunk = McapReader.Open(new MemoryStream(file)).Summary.ChunkIndexes[0];
        var index = (int)chunk.MessageIndexOffsets.Values.First();
        // First entry's offset: opcode, length, channel id, array length, log time.
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(index + 9 + 2 + 4 + 8), 0);

        var error = Assert.Throws<InvalidDataException>(() => McapReader.Open(new MemoryStream(file)).ReadMessages().ToList());

        Assert.Contains($"chunk at {chunk.ChunkStartOffset}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.001)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void Open_TruncatedFile_ThrowsSayingItIsTruncated(double keep)
    {
        var file = McapTestClips.Write(McapTestClips.Create(frameCount: 20, seed: 25), SmallChunks);
        var cut = file.AsSpan(0, (int)(file.Length * keep)).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => McapTestClips.Read(cut));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileCutAtEverySectionBoundary_IsRejected()
    {
        var file = McapTestClips.Write(McapTestClips.Create(frameCount: 20, seed: 26), SmallChunks);
        var reader = McapReader.Open(new MemoryStream(file));
        var cuts = new List<long> { 1, 8, 9, reader.DataEndOffset, reader.DataEndOffset + 13, file.Length - 8, file.Length - 1 };
        cuts.AddRange(reader.Summary.ChunkIndexes.Select(c => (long)c.ChunkStartOffset));

        foreach (var cut in cuts)
        {
            var error = Assert.Throws<InvalidDataException>(() => McapTestClips.Read(file.AsSpan(0, (int)cut).ToArray()));
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Open_NotMcap_ThrowsAtOffsetZero()
    {
        var file = Encoding.UTF8.GetBytes(new string('x', 200));

        var error = Assert.Throws<InvalidDataException>(() => McapTestClips.Read(file));

        Assert.Contains("byte offset 0:", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an MCAP file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OtherMajorVersion_ThrowsNamingTheVersion()
    {
        var file = McapTestClips.Write(McapTestClips.Empty());
        file[5] = (byte)'1';

        var error = Assert.Throws<InvalidDataException>(() => McapTestClips.Read(file));

        Assert.Contains("major version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FooterPointingPastTheFile_Throws()
    {
        var file = McapTestClips.Write(McapTestClips.Create(frameCount: 3, seed: 27));
        var footer = file.Length - 8 - 20;
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(footer), (ulong)file.Length * 2);

        var error = Assert.Throws<InvalidDataException>(() => McapTestClips.Read(file));

        Assert.Contains($"byte offset {footer - 9}:", error.Message, StringComparison.Ordinal);
        Assert.Contains("summary start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ValidMcapThatIsNotAClip_SaysSo()
    {
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream))
        {
            writer.WriteMetadata("other", new Dictionary<string, string>());
            writer.Finish();
        }

        var error = Assert.Throws<InvalidDataException>(() => McapTestClips.Read(stream.ToArray()));

        Assert.Contains("clip.info", error.Message, StringComparison.Ordinal);
    }

    private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var at = haystack.IndexOf(needle);
        Assert.True(at >= 0, "marker not found in file");
        return at;
    }
}
