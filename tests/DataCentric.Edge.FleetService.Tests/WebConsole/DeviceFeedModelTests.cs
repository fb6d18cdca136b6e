using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.WebConsole;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

/// <summary>The live feed's model column: the newest step per model reaches open pages; an older one (another version's late ack) does not replace it.</summary>
public sealed class DeviceFeedModelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ModelAcks_ReachOpenPagesWithTheDevicesLastState_AnOlderOneChangesNothing_AndLaterStatusesKeepThem()
    {
        var feed = new DeviceFeed(Options.Create(new ConsoleOptions()));
        feed.Publish(new DeviceStatus("fleet1", "dev-a", "online", null), T0);
        using var page = feed.Subscribe()!;

        feed.PublishModel(Release("det", 3, "rolledBack", activeVersion: 2, minutes: 5, reasons: [new CatalogModelReason("overMemoryLimit", "RSS 600 MiB")]));
        Assert.True(page.Reader.TryRead(out var update));
        var model = Assert.Single(update.Models);
        Assert.Equal(("det", 2, 3, "rolledBack", "overMemoryLimit"), (model.Name, model.ActiveVersion, model.LastRelease.Version, model.LastRelease.Stage, model.LastRelease.Reasons[0].Reason));
        Assert.Equal("online", update.State);

        feed.PublishModel(Release("det", 2, "active", activeVersion: 2, minutes: 1)); // v2's ack redelivered late
        Assert.False(page.Reader.TryRead(out _));

        feed.PublishModel(Release("lane", 1, "active", activeVersion: 1, minutes: 6));
        Assert.True(page.Reader.TryRead(out var both));
        Assert.Equal(["det", "lane"], both.Models.Select(m => m.Name));

        feed.Publish(new DeviceStatus("fleet1", "dev-a", "offline", "connection lost"), T0.AddMinutes(7));
        Assert.True(page.Reader.TryRead(out var will));
        Assert.Equal(["det@2 v3 rolledBack", "lane@1 v1 active"], will.Models.Select(m => $"{m.Name}@{m.ActiveVersion} v{m.LastRelease.Version} {m.LastRelease.Stage}"));
    }

    private static CatalogModelRelease Release(string name, int version, string stage, int activeVersion, double minutes, CatalogModelReason[]? reasons = null) =>
        new("fleet1", "dev-a", name, version, null, stage, reasons ?? [], activeVersion, null, T0.AddMinutes(minutes));
}
