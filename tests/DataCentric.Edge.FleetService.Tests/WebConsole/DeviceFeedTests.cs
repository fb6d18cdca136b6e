using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.WebConsole;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

public sealed class DeviceFeedTests
{
    [Fact]
    public void ASlowPage_LosesItsOldestUpdates_AndIsToldToReload_WhileAnotherPageGetsThemAll()
    {
        var feed = new DeviceFeed(Options.Create(new ConsoleOptions { ClientQueueCapacity = 2 }));
        using var slow = feed.Subscribe()!;
        using var other = feed.Subscribe()!;
        for (var i = 0; i < 5; i++)
        {
            feed.Publish(new DeviceStatus("fleet1", $"dev-{i}", "online", null), DateTimeOffset.UnixEpoch);
            Assert.True(other.Reader.TryRead(out var update));
            Assert.Equal($"dev-{i}", update.Device);
        }

        Assert.True(slow.TakeDropped());
        Assert.False(slow.TakeDropped());
        Assert.True(slow.Reader.TryRead(out var a));
        Assert.True(slow.Reader.TryRead(out var b));
        Assert.Equal(("dev-3", "dev-4"), (a.Device, b.Device));
        Assert.False(other.TakeDropped());
    }

    [Fact]
    public void PastMaxClients_NoSubscription_UntilOneCloses()
    {
        var feed = new DeviceFeed(Options.Create(new ConsoleOptions { MaxClients = 1 }));
        var first = feed.Subscribe();
        Assert.NotNull(first);
        Assert.Null(feed.Subscribe());
        first.Dispose();
        Assert.Equal(0, feed.SubscriberCount);
        using var again = feed.Subscribe();
        Assert.NotNull(again);
    }

    [Fact]
    public void ALastWill_KeepsTheHealthLastReported()
    {
        var feed = new DeviceFeed(Options.Create(new ConsoleOptions()));
        var health = new HealthSummary(10, [], 0, 2, 1, 1, 0, []);
        feed.Publish(new DeviceStatus("fleet1", "dev-a", "online", null) { Health = health }, DateTimeOffset.UnixEpoch);
        using var page = feed.Subscribe()!;
        feed.Publish(new DeviceStatus("fleet1", "dev-a", "offline", "connection lost"), DateTimeOffset.UnixEpoch);
        Assert.True(page.Reader.TryRead(out var will));
        Assert.Equal(("offline", health), (will.State, will.Health));
    }

    [Fact]
    public void AnAck_ReachesOpenPagesWithTheDevicesLastState_AndLaterStatusesKeepIt()
    {
        var feed = new DeviceFeed(Options.Create(new ConsoleOptions()));
        var ack = new CatalogTriggerSetAck(6, "rejected", "line 3:7: unknown signal 'speeed'", 5, DateTimeOffset.UnixEpoch);
        using var page = feed.Subscribe()!;

        feed.PublishAck("fleet1", "dev-unseen", ack); // no status seen yet: nothing to show it with until the page reloads
        Assert.False(page.Reader.TryRead(out _));

        feed.Publish(new DeviceStatus("fleet1", "dev-a", "paused", "disk nearly full"), DateTimeOffset.UnixEpoch);
        Assert.True(page.Reader.TryRead(out _));
        feed.PublishAck("fleet1", "dev-a", ack);
        Assert.True(page.Reader.TryRead(out var acked));
        Assert.Equal(("dev-a", "paused", 6, "rejected"), (acked.Device, acked.State, acked.TriggerSetAck?.Version, acked.TriggerSetAck?.Decision));

        feed.Publish(new DeviceStatus("fleet1", "dev-a", "online", null), DateTimeOffset.UnixEpoch);
        Assert.True(page.Reader.TryRead(out var later));
        Assert.Equal(("online", "line 3:7: unknown signal 'speeed'"), (later.State, later.TriggerSetAck?.Reason));
    }
}
