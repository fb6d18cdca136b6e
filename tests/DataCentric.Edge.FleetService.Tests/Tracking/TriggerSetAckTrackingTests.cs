using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.Tracking;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Tracking;

/// <summary>The tracker taking devices' retained trigger-set acks from a real mosquitto into a real LiteDB catalog file.</summary>
[Trait("Category", "Integration")]
public sealed class TriggerSetAckTrackingTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("dce-ack-tracking");
    private MosquittoBroker? _broker;
    private LiteDbFleetCatalog? _catalog;
    private GatedIngest? _ingest;
    private DeviceTracker? _tracker;
    private IMqttClient? _device;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LiteDbFleetCatalog Catalog => _catalog!;

    private GatedIngest Ingest => _ingest!;

    private DeviceTracker Tracker => _tracker!;

    public async ValueTask InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(cancellationToken: Ct);
        _catalog = new LiteDbFleetCatalog(Path.Combine(_dir.Path, "catalog.db"));
        _ingest = new GatedIngest(_catalog);
        _device = new MqttClientFactory().CreateMqttClient();
        await _device.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("cam-1").Build(), Ct);
        _tracker = new DeviceTracker(
            Ingest,
            new TrackerOptions
            {
                ClientId = "t1",
                SharedGroup = "trk",
                CheckInterval = TimeSpan.FromMilliseconds(50),
                Broker = new UplinkOptions { Port = _broker.Port, ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromSeconds(1) },
            },
            TimeProvider.System,
            NullLogger<DeviceTracker>.Instance);
        await _tracker.StartAsync(Ct);
        await _tracker.Subscribed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_tracker is not null)
        {
            await _tracker.StopAsync(CancellationToken.None);
            _tracker.Dispose();
        }

        _device?.Dispose();
        if (_ingest is not null)
        {
            await _ingest.DisposeAsync();
        }

        _catalog?.Dispose();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task AcceptedThenRejectedAck_TheCatalogHoldsTheLatestDecision()
    {
        await PublishAsync("acme/cam-1/status", Status("cam-1", "online", version: 4));
        await PublishAsync("acme/cam-1/config/ack", Ack(5, [], activeVersion: 5, minutes: 1));
        Assert.Equal(["status cam-1", "ack cam-1"], (await Ingest.NextAsync(2)).Select(w => w.Ok ? w.What : $"{w.What} failed"));
        Assert.Equal(new CatalogTriggerSetAck(5, "accepted", null, 5, Stored(T0.AddMinutes(1))), Assert.Single(await Catalog.ListDevicesAsync("acme", Ct)).TriggerSetAck);

        await PublishAsync("acme/cam-1/config/ack", Ack(6, ["line 2:9: unknown signal 'sped'"], activeVersion: 5, minutes: 2));
        Assert.Equal(("ack cam-1", true), Assert.Single(await Ingest.NextAsync(1)));

        var held = Assert.Single(await Catalog.ListDevicesAsync("acme", Ct)).TriggerSetAck;
        Assert.Equal(new CatalogTriggerSetAck(6, "rejected", "line 2:9: unknown signal 'sped'", 5, Stored(T0.AddMinutes(2))), held);
        Assert.Equal(3, await GatedIngest.CounterAsync(() => Tracker.Counters.Stored, 3));
    }

    [Fact]
    public async Task MalformedAck_IsCountedAndChangesNothingStored()
    {
        await PublishAsync("acme/cam-1/config/ack", Ack(5, [], activeVersion: 5, minutes: 1));
        Assert.Equal(("ack cam-1", true), Assert.Single(await Ingest.NextAsync(1)));

        await PublishRawAsync("acme/cam-1/config/ack", "{not json"u8.ToArray());
        await PublishRawAsync("acme/cam-1/config/ack", """{"fleet":"acme","device":"cam-1","decision":"maybe","activeVersion":5,"errors":[],"at":"2026-12-05T10:30:00Z"}"""u8.ToArray());
        await PublishAsync("acme/cam-1/config/ack", Ack(7, [], activeVersion: 7, minutes: 3, device: "cam-2"));
        await PublishAsync("acme/cam-1/config/ack", Ack(-1, [], activeVersion: 7, minutes: 3));

        // A good message after them: once it is written, the bad ones were handled (the catalog refused the negative version).
        await PublishAsync("acme/cam-1/status", Status("cam-1", "online", version: 5));
        Assert.Equal([("ack cam-1", false), ("status cam-1", true)], await Ingest.NextAsync(2));

        Assert.Equal(3, Tracker.Counters.Unparseable); // not JSON, an unknown decision, a negative version
        Assert.Equal(1, Tracker.Counters.Refused); // names cam-2 on cam-1's topic
        Assert.Equal(new CatalogTriggerSetAck(5, "accepted", null, 5, Stored(T0.AddMinutes(1))), Assert.Single(await Catalog.ListDevicesAsync("acme", Ct)).TriggerSetAck);
    }

    private Task PublishAsync<T>(string topic, T payload) =>
        PublishRawAsync(topic, JsonSerializer.SerializeToUtf8Bytes(payload, UplinkJson.TypeInfo<T>()));

    private async Task PublishRawAsync(string topic, byte[] payload)
    {
        var result = await _device!.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic($"{FleetTopics.Root}/{topic}").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(true).Build(),
            Ct);
        Assert.True(result.IsSuccess, $"{topic}: {result.ReasonCode}");
    }
}
