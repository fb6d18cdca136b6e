using DataCentric.Edge.FleetService.Catalog;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>Trigger-set acks: the latest decision per device, shown with the device.</summary>
public abstract partial class FleetCatalogContractTests
{
    [Fact]
    public async Task TriggerSetAck_AcceptedThenRejected_TheDeviceShowsTheLatest()
    {
        await Catalog.RecordStatusAsync(Status("cam-1", "online", version: 4), T0, Ct);
        await Catalog.RecordStatusAsync(Status("cam-2", "online", version: 4), T0, Ct);

        Assert.True(await Catalog.RecordTriggerSetAckAsync(Ack(5, [], activeVersion: 5, minutes: 1), Ct));
        var accepted = Assert.Single(await Catalog.ListDevicesAsync("acme", Ct), d => d.Device == "cam-1").TriggerSetAck;
        Assert.Equal(new CatalogTriggerSetAck(5, "accepted", null, 5, Stored(T0.AddMinutes(1))), accepted);

        Assert.True(await Catalog.RecordTriggerSetAckAsync(Ack(6, ["line 3:7: unknown signal 'speeed'", "version 6 != 7"], activeVersion: 5, minutes: 2), Ct));
        var page = await Catalog.ListDevicePageAsync(new DeviceQuery { Fleet = "acme" }, Ct);
        Assert.Equal(
            new CatalogTriggerSetAck(6, "rejected", "line 3:7: unknown signal 'speeed'; version 6 != 7", 5, Stored(T0.AddMinutes(2))),
            Assert.Single(page.Items, d => d.Device == "cam-1").TriggerSetAck);
        Assert.Null(Assert.Single(page.Items, d => d.Device == "cam-2").TriggerSetAck);
    }

    [Fact]
    public async Task TriggerSetAck_OlderThanTheOneHeld_IsIgnored_AndOneBeforeTheFirstStatusIsKept()
    {
        Assert.True(await Catalog.RecordTriggerSetAckAsync(Ack(6, [], activeVersion: 6, minutes: 2), Ct));
        Assert.False(await Catalog.RecordTriggerSetAckAsync(Ack(5, [], activeVersion: 5, minutes: 1), Ct));
        await Catalog.RecordStatusAsync(Status("cam-1", "online", version: 6), T0, Ct);

        var held = Assert.Single(await Catalog.ListDevicesAsync(null, Ct)).TriggerSetAck;
        Assert.Equal((6, "accepted", 6), (held?.Version, held?.Decision, held?.ActiveVersion));
    }

    [Fact]
    public async Task TriggerSetAck_WithBadValues_IsRefused_AndNothingIsStored()
    {
        await Catalog.RecordStatusAsync(Status("cam-1", "online"), T0, Ct);

        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.RecordTriggerSetAckAsync(Ack(-1, [], activeVersion: 3), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Catalog.RecordTriggerSetAckAsync(Ack(4, [], activeVersion: 3) with { Device = "" }, Ct));

        Assert.Null(Assert.Single(await Catalog.ListDevicesAsync(null, Ct)).TriggerSetAck);
    }
}
