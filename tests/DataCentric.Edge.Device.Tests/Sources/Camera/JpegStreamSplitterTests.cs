using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Tests.Sources.Sensors;

namespace DataCentric.Edge.Device.Tests.Sources.Camera;

[Trait("Category", "Unit")]
public sealed class JpegStreamSplitterTests
{
    private static byte[] Jpeg(byte fill, int bodyBytes) => [0xFF, 0xD8, .. Enumerable.Repeat(fill, bodyBytes), 0xFF, 0xD9];

    [Fact]
    public async Task ConcatenatedImages_AreCutAtTheMarkers_AndGarbageBetweenIsCounted()
    {
        var rig = new SourceRig();
        byte[] stream = [.. Jpeg(1, 100_000), 0x00, 0x13, 0x37, .. Jpeg(2, 10), .. Jpeg(3, 70_000)];
        var splitter = new JpegStreamSplitter(new MemoryStream(stream), maxFrameBytes: 1 << 20, rig.BadInput);

        var frames = new List<byte[]>();
        while (await splitter.ReadFrameAsync(TestContext.Current.CancellationToken) is { } frame)
        {
            frames.Add(frame);
        }

        Assert.Equal([100_004, 14, 70_004], frames.Select(f => f.Length));
        Assert.Equal([1, 2, 3], frames.Select(f => f[2]));
        Assert.Equal(1, rig.BadInput.CountOf("garbage"));
    }

    [Fact]
    public async Task CameraReturningGarbage_IsCountedWithoutUnboundedBuffering_ThenRecovers()
    {
        var rig = new SourceRig();

        // An image with no end marker larger than the limit, random noise, then a good image.
        var noise = new byte[300_000];
        new Random(5).NextBytes(noise);
        for (var i = 0; i < noise.Length - 1; i++)
        {
            noise[i] = noise[i] == 0xFF ? (byte)0xFE : noise[i];
        }

        byte[] stream = [0xFF, 0xD8, .. new byte[200_000], .. noise, .. Jpeg(9, 50)];
        var splitter = new JpegStreamSplitter(new MemoryStream(stream), maxFrameBytes: 100_000, rig.BadInput);

        var frame = await splitter.ReadFrameAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(frame);
        Assert.Equal(9, frame[2]);
        Assert.Equal(1, rig.BadInput.CountOf("oversized-frame"));
        Assert.True(rig.BadInput.CountOf("garbage") >= 1);
        Assert.Null(await splitter.ReadFrameAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StreamEndingInsideAnImage_IsReportedAsTruncated()
    {
        var rig = new SourceRig();
        var splitter = new JpegStreamSplitter(new MemoryStream([.. Jpeg(4, 10), 0xFF, 0xD8, 1, 2, 3]), 1 << 20, rig.BadInput);

        Assert.NotNull(await splitter.ReadFrameAsync(TestContext.Current.CancellationToken));
        Assert.Null(await splitter.ReadFrameAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, rig.BadInput.CountOf("truncated-frame"));
    }
}
