using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using DataCentric.Edge.FleetService.Tests.Catalog;
using DataCentric.Edge.FleetService.Tracking;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Npgsql;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Tracking;

/// <summary>The tracker between a real mosquitto and a real PostgreSQL catalog, with a device-side MQTT client publishing.</summary>
[Trait("Category", "Integration")]
public sealed class DeviceTrackerTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>, IAsyncLifetime
{
    private readonly List<DeviceTracker> _trackers = [];
    private MosquittoBroker? _broker;
    private NpgsqlDataSource? _dataSource;
    private PostgresFleetCatalog? _catalog;
    private GatedIngest? _ingest;
    private IMqttClient? _device;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PostgresFleetCatalog Catalog => _catalog!;

    private GatedIngest Ingest => _ingest!;

    public async ValueTask InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        _dataSource = await postgres.CreateMigratedDatabaseAsync();
        _catalog = new PostgresFleetCatalog(_dataSource);
        _ingest = new GatedIngest(_catalog);
        _device = new MqttClientFactory().CreateMqttClient();
        await _device.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("cam-1").Build(), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var tracker in _trackers)
        {
            await tracker.StopAsync(CancellationToken.None);
            tracker.Dispose();
        }

        _device?.Dispose();
        if (_ingest is not null)
        {
            await _ingest.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task DeviceMessages_Status_Event_Counters_AreStoredInTheCatalog()
    {
        await StartTrackerAsync("t1");

        await PublishAsync("acme/cam-1/status", Status("cam-1", "online"), retain: true);
        await PublishAsync("acme/cam-1/events", Event("e1"));
        await PublishAsync("acme/cam-1/triggers/counters", Counters(10, [("brake", 3, 1)]));
        var writes = await Ingest.NextAsync(3);

        Assert.All(writes, w => Assert.True(w.Ok, w.What));
        Assert.Equal("online", Assert.Single(await Catalog.ListDevicesAsync("acme", Ct)).State);
        var stored = Assert.Single((await Catalog.ListEventsAsync(new EventQuery(), Ct)).Items);
        Assert.Equal(("e1", "acme", "cam-1"), (stored.EventId, stored.Fleet, stored.Device));
        var fires = await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("acme") { Kind = TriggerCountKinds.Fires }, Ct);
        Assert.Equal(3L, Assert.Single(fires).Count);
        Assert.Equal(3, await GatedIngest.CounterAsync(() => _trackers[0].Counters.Stored, 3));
    }

    [Fact]
    public async Task PayloadNamingAnotherDevice_IsRefusedAndCounted_AndNothingIsStored()
    {
        var tracker = await StartTrackerAsync("t1");

        await PublishAsync("acme/cam-1/status", Status("cam-2", "online"), retain: false);
        await PublishAsync("acme/cam-1/triggers/counters", Counters(10, [("brake", 3, 1)], device: "cam-2"));
        await PublishRawAsync("acme/cam-1/triggers/counters", "{not json"u8.ToArray());

        // Then a good one on a later message: once it is written, the earlier ones were handled.
        await PublishAsync("acme/cam-1/events", Event("e1"));
        Assert.Equal("event e1", Assert.Single(await Ingest.NextAsync(1)).What);

        Assert.Equal(2, tracker.Counters.Refused);
        Assert.Equal(1, tracker.Counters.Unparseable);
        Assert.Empty(await Catalog.ListDevicesAsync(null, Ct));
        Assert.Empty(await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("acme"), Ct));
        Assert.Empty(await Catalog.ListTriggerCountsAsync(new TriggerCountQuery("acme") { Device = "cam-2" }, Ct));
    }

    [Fact]
    public async Task TwoTrackers_OnOneSharedGroup_StoreEachEventExactlyOnce()
    {
        var a = await StartTrackerAsync("t1");
        var b = await StartTrackerAsync("t2");

        const int Events = 20;
        for (var i = 0; i < Events; i++)
        {
            await PublishAsync("acme/cam-1/events", Event($"e{i:D2}", at: T0.AddSeconds(i)));
        }

        var writes = await Ingest.NextAsync(Events);

        Assert.All(writes, w => Assert.True(w.Ok, w.What));
        Assert.Equal(Events, writes.Select(w => w.What).Distinct().Count());
        Assert.Equal(Events, (await Catalog.ListEventsAsync(new EventQuery(), Ct)).Items.Count);
        Assert.Equal(Events, await GatedIngest.CounterAsync(() => a.Counters.Stored + b.Counters.Stored, Events));
        Assert.True(a.Counters.Stored > 0 && b.Counters.Stored > 0, $"one group splits the events: {a.Counters.Stored} / {b.Counters.Stored}");
        Assert.Equal(Events, Ingest.EventWrites);
    }

    [Fact]
    public async Task CatalogDown_MessageIsNotAcknowledged_AndIsStoredWhenTheCatalogIsBack()
    {
        var tracker = await StartTrackerAsync("t1");
        Ingest.Down = true;

        await PublishAsync("acme/cam-1/events", Event("e1"));
        var failed = Assert.Single(await Ingest.NextAsync(1));
        Assert.Equal(("event e1", false), failed);

        Ingest.Down = false;

        // Not acknowledged: the broker redelivers it once the tracker's session resumes.
        (string What, bool Ok) next;
        do
        {
            next = Assert.Single(await Ingest.NextAsync(1));
        }
        while (!next.Ok);

        Assert.Equal("event e1", next.What);
        Assert.Equal("e1", Assert.Single((await Catalog.ListEventsAsync(new EventQuery(), Ct)).Items).EventId);
        Assert.True(tracker.Counters.CatalogFailures >= 1);
        Assert.Equal(1, await GatedIngest.CounterAsync(() => tracker.Counters.Stored, 1));
    }

    private async Task<DeviceTracker> StartTrackerAsync(string clientId)
    {
        var tracker = new DeviceTracker(
            Ingest,
            new TrackerOptions
            {
                ClientId = clientId,
                SharedGroup = "trk",
                CheckInterval = TimeSpan.FromMilliseconds(50),
                Broker = new UplinkOptions { Port = _broker!.Port, ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromSeconds(1) },
            },
            TimeProvider.System,
            NullLogger<DeviceTracker>.Instance);
        _trackers.Add(tracker);
        await tracker.StartAsync(Ct);
        await tracker.Subscribed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return tracker;
    }

    private Task PublishAsync<T>(string topic, T payload, bool retain = false) =>
        PublishRawAsync(topic, JsonSerializer.SerializeToUtf8Bytes(payload, UplinkJson.TypeInfo<T>()), retain);

    private async Task PublishRawAsync(string topic, byte[] payload, bool retain = false)
    {
        var result = await _device!.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic($"{FleetTopics.Root}/{topic}").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build(),
            Ct);
        Assert.True(result.IsSuccess, $"{topic}: {result.ReasonCode}");
    }
}
