using System.Diagnostics;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Tests.Sources.Sensors;
using DataCentric.Edge.TestKit.Hardware;

namespace DataCentric.Edge.Device.Tests.Sources.Controller;

[Trait("Category", "Unit")]
public sealed class CanFeedTests
{
    private static ControllerFeedOptions Map()
    {
        var options = new ControllerFeedOptions { Kind = ControllerFeedKind.Can };

        // 0x120: brake flag in bit 0; steering angle, signed 16-bit little-endian from bit 8, 0.1°/bit.
        options.CanSignals.Add(new CanSignalOptions { Name = "brake", FrameId = 0x120, StartBit = 0, Length = 1, Kind = "Bool" });
        options.CanSignals.Add(new CanSignalOptions { Name = "steer", FrameId = 0x120, StartBit = 8, Length = 16, Signed = true, Scale = 0.1 });

        // 0x18FF0001 (extended): speed, big-endian (Motorola) 12 bits, MSB at bit 7, 0.5 km/h/bit, offset −10.
        options.CanSignals.Add(new CanSignalOptions { Name = "speed", FrameId = 0x18FF0001, StartBit = 7, Length = 12, ByteOrder = CanByteOrder.BigEndian, Scale = 0.5, Offset = -10 });
        return options;
    }

    [Fact]
    public void Decoder_AppliesStartBitLengthByteOrderScaleAndOffset()
    {
        var rig = new SourceRig();
        var decoder = new CanSignalDecoder(Map(), rig.BadInput);
        decoder.Register(rig.Bus);

        // steer = −123 → 0xFF85 little-endian in bytes 1..2.
        Assert.True(decoder.Decode(rig.Bus, 0x120, [0x01, 0x85, 0xFF], TimeSpan.FromSeconds(1)));

        // speed raw 0xABC: byte 0 = 0xAB, high nibble of byte 1 = 0xC.
        Assert.True(decoder.Decode(rig.Bus, 0x18FF0001, [0xAB, 0xC0], TimeSpan.FromSeconds(1)));

        Assert.True(rig.Latest("primary.brake").Value.AsBool);
        Assert.Equal(-12.3, rig.Latest("primary.steer").Value.Number, 9);
        Assert.Equal((0xABC * 0.5) - 10, rig.Latest("primary.speed").Value.Number, 9);
    }

    [Fact]
    public void UnknownIdsAndShortPayloads_AreCounted_AndPublishNothing()
    {
        var rig = new SourceRig();
        var decoder = new CanSignalDecoder(Map(), rig.BadInput);
        decoder.Register(rig.Bus);

        Assert.False(decoder.Decode(rig.Bus, 0x7FF, [1, 2, 3], TimeSpan.Zero));
        Assert.False(decoder.Decode(rig.Bus, 0x120, [0x01, 0x85], TimeSpan.Zero));
        Assert.False(decoder.Decode(rig.Bus, 0x18FF0001, [0xAB], TimeSpan.Zero));

        Assert.Equal(1, rig.BadInput.CountOf("unknown-id"));
        Assert.Equal(2, rig.BadInput.CountOf("short-payload"));
        Assert.False(rig.HasSample("primary.brake"), "a short frame must not publish the signals it does carry either");
    }

    [Fact]
    public async Task CapturedStream_IsDecodedInOrder_AndBadFramesAreCountedNotFatal()
    {
        var rig = new SourceRig();
        var capture = new CanCapture()
            .Frame(0x120, 0x00, 0x0A, 0x00)
            .Frame(0x333, 1, 2, 3, 4)
            .RemoteFrame(0x120)
            .ErrorFrame(0x004)
            .Frame(0x120, 0x01)
            .ExtendedFrame(0x18FF0001, 0x00, 0x40)
            .Frame(0x120, 0x01, 0x14, 0x00)
            .Truncated(7);
        var decoder = new CanSignalDecoder(Map(), rig.BadInput);
        var source = new CanControllerSource("capture", () => new CapturedCanFrameReader(capture.ToStream()), decoder, rig.Clock);

        await source.RunAsync(rig.Bus, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(3, decoder.FramesDecoded);
        Assert.Equal(2.0, rig.Latest("primary.steer").Value.Number, 9);
        Assert.True(rig.Latest("primary.brake").Value.AsBool);
        Assert.Equal((4 * 0.5) - 10, rig.Latest("primary.speed").Value.Number, 9);
        Assert.Equal(1, rig.BadInput.CountOf("unknown-id"));
        Assert.Equal(1, rig.BadInput.CountOf("short-payload"));
        Assert.Equal(1, rig.BadInput.CountOf("remote-frame"));
        Assert.Equal(1, rig.BadInput.CountOf("error-frame"));
        Assert.Equal(1, rig.BadInput.CountOf("truncated-capture"));
    }

    [Fact]
    public void SignalMap_WithImpossibleEntries_IsRejectedWithWhere()
    {
        var options = new ControllerFeedOptions();
        options.CanSignals.Add(new CanSignalOptions { Name = "x", FrameId = 0x2000_0000, StartBit = 70, Length = 0, Scale = 0, Kind = "Text" });

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage).ToList();

        Assert.Contains(errors, e => e!.StartsWith("CanSignals:0: FrameId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("StartBit 70", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("Length 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("Kind must be", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("Scale", StringComparison.Ordinal));
    }

    /// <summary>Over a real vcan interface when the kernel allows creating one (STACK-NOTES: usually not here).</summary>
    [Fact]
    [Trait("Category", "Integration")]
    public async Task Vcan_FramesFromTheKernel_AreDecoded()
    {
        var name = $"vcdce{Environment.ProcessId % 1000}";
        var (created, reason) = Run("ip", $"link add dev {name} type vcan");
        if (!created)
        {
            Assert.Skip($"cannot create a vcan interface on this machine: {reason}");
        }

        try
        {
            if (DataCentric.Edge.Device.Sources.Camera.LibcameraFrameSource.FindExecutable("cansend") is null)
            {
                Assert.Skip("can-utils' cansend is not installed: nothing can play the controller on vcan");
            }

            Assert.True(Run("ip", $"link set up {name}").Ok, "vcan interface could not be brought up");
            var rig = new SourceRig();
            var decoder = new CanSignalDecoder(Map(), rig.BadInput);
            var source = new CanControllerSource(name, () => new SocketCanFrameReader(name), decoder, new MonotonicClock(TimeProvider.System));
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var running = source.RunAsync(rig.Bus, cts.Token);

            // The test plays the controller with cansend (can-utils); the agent side only reads.
            await SourceRig.UntilAsync(() => Run("cansend", $"{name} 120#010A00").Ok && rig.HasSample("primary.steer"), "a frame from vcan");
            Assert.Equal(1.0, rig.Latest("primary.steer").Value.Number, 9);
            await cts.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        }
        finally
        {
            Run("ip", $"link delete {name}");
        }
    }

    private static (bool Ok, string Output) Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode == 0, error.Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, $"{file}: {e.Message}");
        }
    }
}
