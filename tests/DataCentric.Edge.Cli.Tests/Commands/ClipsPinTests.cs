using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Cli.Tests.Commands;

/// <summary><c>edgectl clips pin|unpin</c> through the device's command handler, and what the buffer's retention then does.</summary>
[Trait("Category", "Integration")]
public sealed class ClipsPinTests
{
    [Fact]
    public async Task APinnedClip_SurvivesRetentionUnderPressure_UntilUnpinned()
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        var keep = fleet.Store.Save(TestClips.Clip("c-keep", frames: 10, frameBytes: 10_000));
        fleet.Store.Save(TestClips.Clip("c-other", frames: 10, frameBytes: 10_000));

        var pin = await Edgectl.RunAsync(["clips", "pin", "--device", "d1", "--clip", "c-keep", .. fleet.Common]);

        Assert.True(pin.Exit == 0, pin.Error);
        Assert.Contains("c-keep on d1: pinned; 100000 of 524288 pinnable bytes in use", pin.Output, StringComparison.Ordinal);

        // A quota smaller than one clip: everything unpinned goes, the pinned clip stays (and the shortfall is reported).
        var retention = new ClipRetention(fleet.Store, fleet.Catalog, new StorageOptions { ClipQuotaBytes = 1024 }, TimeProvider.System, NullLogger.Instance, () => long.MaxValue);
        var pressed = retention.Enforce();
        Assert.Equal(["c-other"], pressed.Evictions.Select(e => e.ClipId));
        Assert.Equal(ClipFileState.Stored, fleet.Catalog.FindClip("c-keep")!.FileState);
        Assert.Equal(keep.Sha256, ClipFileStore.HashFile(fleet.Store.PathOf(fleet.Catalog.FindClip("c-keep")!)));
        Assert.True(pressed.ShortfallBytes > 0);

        var unpin = await Edgectl.RunAsync(["clips", "unpin", "--device", "d1", "--clip", "c-keep", .. fleet.Common]);

        Assert.True(unpin.Exit == 0, unpin.Error);
        Assert.Equal(["c-keep"], retention.Enforce().Evictions.Select(e => e.ClipId));
    }

    [Fact]
    public async Task APinBeyondTheDevicesPinBudget_IsRefused_AndEarlierPinsStay()
    {
        await using var fleet = await FleetUnderTest.StartAsync();

        // The budget is half of a 1 MiB quota: three 200 kB clips do not fit.
        foreach (var id in new[] { "c-1", "c-2", "c-3" })
        {
            fleet.Store.Save(TestClips.Clip(id, frames: 20, frameBytes: 10_000));
        }

        Assert.Equal(0, (await Edgectl.RunAsync(["clips", "pin", "--device", "d1", "--clip", "c-1", .. fleet.Common])).Exit);
        Assert.Equal(0, (await Edgectl.RunAsync(["clips", "pin", "--device", "d1", "--clip", "c-2", .. fleet.Common])).Exit);
        var third = await Edgectl.RunAsync(["clips", "pin", "--device", "d1", "--clip", "c-3", .. fleet.Common]);

        Assert.Equal(1, third.Exit);
        Assert.Contains("pinning 'c-3' (200000 bytes) would pin 600000 bytes; this device pins at most 524288", third.Error, StringComparison.Ordinal);
        Assert.Equal([true, true, false], new[] { "c-1", "c-2", "c-3" }.Select(id => fleet.Catalog.FindClip(id)!.Pinned));
    }

    [Theory]
    [InlineData("c-nope", "no clip 'c-nope' on this device")]
    [InlineData("c-evicted", "clip 'c-evicted' is evicted: its file is gone, there is nothing to pin")]
    public async Task PinningAClipThatIsNotThere_FailsWithTheDevicesReason(string clipId, string error)
    {
        await using var fleet = await FleetUnderTest.StartAsync();
        fleet.Store.Save(TestClips.Clip("c-evicted", frames: 2, frameBytes: 1_000));
        new ClipRetention(fleet.Store, fleet.Catalog, new StorageOptions { ClipQuotaBytes = 1024 }, TimeProvider.System, NullLogger.Instance, () => long.MaxValue).Enforce();

        var pin = await Edgectl.RunAsync(["clips", "pin", "--device", "d1", "--clip", clipId, .. fleet.Common]);

        Assert.Equal(1, pin.Exit);
        Assert.Contains(error, pin.Error, StringComparison.Ordinal);
    }
}
