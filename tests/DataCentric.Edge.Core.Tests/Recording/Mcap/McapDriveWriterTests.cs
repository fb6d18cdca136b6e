using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Recording.Mcap;

[Trait("Category", "Unit")]
public sealed class McapDriveWriterTests
{
    private static readonly DateTimeOffset WallStart = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Drive_WrittenMessageByMessage_ReadsBackAsAClip_WithFramesSignalsAndMetadata()
    {
        using var stream = new MemoryStream();
        using (var writer = new McapDriveWriter(stream, "drive-1", TimeSpan.FromSeconds(10), WallStart, keepFrames: true))
        {
            for (var i = 0; i < 20; i++)
            {
                var t = TimeSpan.FromSeconds(10) + TimeSpan.FromMilliseconds(100 * i);
                writer.Add(Frame(i, t, 2000));
                writer.Add(new SignalUpdate(new SignalId(0), "shadow.obstacle", new SignalSample(SignalValue.FromNumber(i / 20.0), t)));
                writer.Add(new SignalUpdate(new SignalId(1), "primary.brake", new SignalSample(SignalValue.FromBool(i % 2 == 0), t)));
            }

            writer.Finish(TimeSpan.FromSeconds(12), [new("device.id", "d1")]);
        }

        stream.Position = 0;
        var drive = new McapClipReader().Read(stream);

        Assert.Equal(("drive-1", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12), WallStart), (drive.ClipId, drive.Start, drive.End, drive.WallClockStart));
        Assert.Equal(20, drive.Frames.Count);
        Assert.Equal(2000, drive.Frames[5].Data.Length);
        Assert.Equal(40, drive.Signals.Count);
        Assert.Equal(0.25, drive.Signals.Where(s => s.Name == "shadow.obstacle").OrderBy(s => s.Sample.Time).ElementAt(5).Sample.Value.Number);
        Assert.Equal("d1", drive.Metadata["device.id"]);
        Assert.Equal("20", drive.Metadata[DriveMetadataKeys.FramesKept]);

        // 20 frames of 2000 bytes over 2 s: at least their base64 (2668 bytes each) per second.
        var perSecond = double.Parse(drive.Metadata[DriveMetadataKeys.ClipBytesPerSecond], CultureInfo.InvariantCulture);
        Assert.InRange(perSecond, 20 * 2668 / 2.0, 20 * 4000 / 2.0);
    }

    [Fact]
    public void Drive_WithoutFrames_KeepsNone_ButMeasuresThemAsAClipWouldHoldThem()
    {
        using var kept = new MemoryStream();
        using var dropped = new MemoryStream();
        foreach (var (stream, keep) in new[] { (kept, true), (dropped, false) })
        {
            using var writer = new McapDriveWriter(stream, "d", TimeSpan.Zero, WallStart, keep);
            for (var i = 0; i < 10; i++)
            {
                writer.Add(Frame(i, TimeSpan.FromMilliseconds(100 * i), 5000));
            }

            writer.Finish(TimeSpan.FromSeconds(1), []);
        }

        dropped.Position = 0;
        var drive = new McapClipReader().Read(dropped);
        kept.Position = 0;
        var withFrames = new McapClipReader().Read(kept);

        Assert.Empty(drive.Frames);
        Assert.Equal("10", drive.Metadata[DriveMetadataKeys.Frames]);
        Assert.Equal(withFrames.Metadata[DriveMetadataKeys.ClipBytesPerSecond], drive.Metadata[DriveMetadataKeys.ClipBytesPerSecond]);
        Assert.True(dropped.Length < 5000);
    }

    [Fact]
    public void Drive_SignalThatChangesKind_KeepsItsFirstKind_AndCountsTheRest()
    {
        using var stream = new MemoryStream();
        using var writer = new McapDriveWriter(stream, "d", TimeSpan.Zero, WallStart, keepFrames: false);
        writer.Add(new SignalUpdate(new SignalId(0), "x", new SignalSample(SignalValue.FromNumber(1), TimeSpan.FromMilliseconds(1))));
        writer.Add(new SignalUpdate(new SignalId(0), "x", new SignalSample(SignalValue.FromBool(true), TimeSpan.FromMilliseconds(2))));
        writer.Finish(TimeSpan.FromSeconds(1), []);

        Assert.Equal((1, 1), (writer.Samples, writer.SamplesSkipped));
        stream.Position = 0;
        Assert.Equal(SignalKind.Number, Assert.Single(new McapClipReader().Read(stream).Signals).Sample.Value.Kind);
    }

    private static Frame Frame(int sequence, TimeSpan time, int bytes) =>
        new(sequence, time, WallStart + time, 64, 48, "jpeg", Enumerable.Range(0, bytes).Select(b => (byte)(b * 7)).ToArray());
}
