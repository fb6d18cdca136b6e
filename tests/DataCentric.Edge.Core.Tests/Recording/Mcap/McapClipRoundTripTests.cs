using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Recording.Mcap;

[Trait("Category", "Unit")]
public sealed class McapClipRoundTripTests
{
    [Fact]
    public void Read_RestoresEverythingWritten()
    {
        var clip = McapTestClips.Create(frameCount: 40, seed: 3);

        var restored = McapTestClips.Read(McapTestClips.Write(clip));

        McapTestClips.AssertSameContent(clip, restored);
    }

    [Fact]
    public void Read_EmptyClip_IsValidAndRestored()
    {
        var clip = McapTestClips.Empty();
        var file = McapTestClips.Write(clip);

        var restored = McapTestClips.Read(file);

        McapTestClips.AssertSameContent(clip, restored);
        var reader = McapReader.Open(new MemoryStream(file));
        Assert.Empty(reader.Summary.ChunkIndexes);
        Assert.Equal(0UL, reader.Summary.Statistics!.MessageCount);
        reader.VerifyDataSection();
    }

    [Fact]
    public void Read_LargeClip_SpansSeveralChunks_AndIsRestored()
    {
        var clip = McapTestClips.Create(frameCount: 300, seed: 4, frameBytes: 20_000);
        var file = McapTestClips.Write(clip, new McapWriterOptions { ChunkThresholdBytes = 256 * 1024 });

        var restored = McapTestClips.Read(file);

        McapTestClips.AssertSameContent(clip, restored);
        var chunks = McapReader.Open(new MemoryStream(file)).Summary.ChunkIndexes;
        Assert.True(chunks.Count >= 20, $"{chunks.Count} chunks");
        Assert.All(chunks.Zip(chunks.Skip(1)), pair => Assert.True(pair.First.MessageEndTime <= pair.Second.MessageStartTime));
    }

    [Fact]
    public void Read_NonFiniteNumbers_AreRestored()
    {
        var time = TimeSpan.FromSeconds(1);
        SignalValue[] values =
        [
            SignalValue.FromNumber(double.NaN),
            SignalValue.FromNumber(double.PositiveInfinity),
            SignalValue.FromNumber(double.NegativeInfinity),
            SignalValue.FromNumber(double.Epsilon),
            SignalValue.FromNumber(-0.1),
            SignalValue.FromVector([float.NaN, float.NegativeInfinity, float.MaxValue, 1e-45f]),
            SignalValue.FromDetections([new Detection(int.MaxValue, float.PositiveInfinity, 0, 1, 0.1f, float.MinValue)]),
            SignalValue.FromDetections([]),
            SignalValue.FromVector([]),
            SignalValue.FromText(string.Empty),
        ];
        var signals = values.Select((v, i) => new SignalUpdate(new SignalId(i), $"s{i}.{v.Kind}", new SignalSample(v, time + TimeSpan.FromTicks(i)))).ToList();
        var clip = McapTestClips.Empty() with { Signals = signals };

        var restored = McapTestClips.Read(McapTestClips.Write(clip));

        McapTestClips.AssertSameContent(clip, restored);
    }

    [Fact]
    public void ReadSummary_GivesMetadataEventsAndCounts_WithoutReadingChunks()
    {
        var clip = McapTestClips.Create(frameCount: 25, seed: 5);
        var file = McapTestClips.Write(clip, new McapWriterOptions { ChunkThresholdBytes = 16 * 1024 });
        foreach (var chunk in McapReader.Open(new MemoryStream(file)).Summary.ChunkIndexes)
        {
            // Wipe every chunk: a summary read that touched one would fail its CRC.
            Array.Clear(file, (int)chunk.ChunkStartOffset, (int)chunk.ChunkLength);
        }

        var summary = new McapClipReader().ReadSummary(new MemoryStream(file));

        Assert.Equal(clip.ClipId, summary.ClipId);
        Assert.Equal((clip.Start, clip.End, clip.WallClockStart), (summary.Start, summary.End, summary.WallClockStart));
        Assert.Equal(clip.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), summary.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        McapTestClips.AssertSameContent(clip with { Frames = [], Signals = [] }, clip with { Frames = [], Signals = [], Events = summary.Events });
        Assert.Equal((ulong)clip.Frames.Count, summary.FrameCount);
        Assert.Equal((ulong)clip.Signals.Count(s => s.Name == "shadow.boxes"), summary.MessageCountsByTopic["/signals/shadow.boxes"]);
        Assert.Equal((ulong)clip.Frames.Count(f => f.FrameId == "rear"), summary.MessageCountsByTopic["/camera/rear"]);
        Assert.Throws<InvalidDataException>(() => McapTestClips.Read(file));
    }

    [Fact]
    public void Write_MapsMonotonicTimeToUnixNanoseconds_AndFillsFoxgloveImageFields()
    {
        var clip = McapTestClips.Create(frameCount: 3, seed: 6);
        var reader = McapReader.Open(new MemoryStream(McapTestClips.Write(clip)));

        var images = reader.ReadMessages(c => c.Topic == McapClipFormat.CameraTopic).ToList();

        var frame = clip.Frames[0];
        var expected = (ulong)((clip.WallClockStart + (frame.Time - clip.Start)).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Assert.Equal(expected, images[0].LogTime);
        Assert.Equal(expected, images[0].PublishTime);
        using var json = JsonDocument.Parse(images[0].Data);
        var timestamp = json.RootElement.GetProperty("timestamp");
        Assert.Equal(expected, (timestamp.GetProperty("sec").GetUInt64() * 1_000_000_000) + timestamp.GetProperty("nsec").GetUInt64());
        Assert.Equal("camera", json.RootElement.GetProperty("frame_id").GetString());
        Assert.Equal("jpeg", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(frame.Data.ToArray(), json.RootElement.GetProperty("data").GetBytesFromBase64());
        var schema = reader.Summary.Schemas[images[0].Channel.SchemaId];
        Assert.Equal(("foxglove.CompressedImage", "jsonschema", "json"), (schema.Name, schema.Encoding, images[0].Channel.MessageEncoding));
        using var schemaJson = JsonDocument.Parse(schema.Data);
        Assert.Equal("base64", schemaJson.RootElement.GetProperty("properties").GetProperty("data").GetProperty("contentEncoding").GetString());
    }

    [Fact]
    public void Write_SameClipTwice_GivesTheSameBytes()
    {
        var first = McapTestClips.Write(McapTestClips.Create(frameCount: 10, seed: 7));
        var second = McapTestClips.Write(McapTestClips.Create(frameCount: 10, seed: 7));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Write_UnsortedInput_IsStoredAndRestoredInTimeOrder()
    {
        var clip = McapTestClips.Create(frameCount: 12, seed: 8);
        var shuffled = clip with
        {
            Frames = clip.Frames.Reverse().ToList(),
            Signals = clip.Signals.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(),
        };

        var restored = McapTestClips.Read(McapTestClips.Write(shuffled));

        // Stable: samples with equal times keep the order they were given in.
        McapTestClips.AssertSameContent(clip with { Signals = shuffled.Signals.OrderBy(s => s.Sample.Time).ToList() }, restored);
    }

    [Fact]
    public void Write_SignalWithTwoKinds_IsRefused()
    {
        var clip = McapTestClips.Empty() with
        {
            Signals =
            [
                new SignalUpdate(new SignalId(0), "x", new SignalSample(SignalValue.FromNumber(1), TimeSpan.FromSeconds(5))),
                new SignalUpdate(new SignalId(0), "x", new SignalSample(SignalValue.FromBool(true), TimeSpan.FromSeconds(6))),
            ],
        };

        var error = Assert.Throws<ArgumentException>(() => McapTestClips.Write(clip));

        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_AllocatesFarLessThanTheFrames_OncePooledBuffersAreWarm()
    {
        var clip = McapTestClips.Create(frameCount: 100, seed: 9, frameBytes: 10_000);
        var frameBytes = clip.Frames.Sum(f => (long)f.Data.Length);
        var writer = new McapClipWriter();
        writer.Write(clip, Stream.Null); // rents the pooled chunk buffers once

        var before = GC.GetAllocatedBytesForCurrentThread();
        writer.Write(clip, Stream.Null);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Base64 strings or payload copies per frame would cost more than the frames themselves.
        Assert.True(allocated < frameBytes / 4, $"{allocated} bytes allocated for {frameBytes} bytes of frames");
    }

    [Fact]
    public void FileExtension_IsMcap() => Assert.Equal(".mcap", new McapClipWriter().FileExtension);
}
