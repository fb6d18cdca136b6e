using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using DataCentric.Edge.FleetService.Tests.Catalog;
using DataCentric.Edge.FleetService.Tests.Tracking;
using DataCentric.Edge.FleetService.Tracking;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;

namespace DataCentric.Edge.FleetService.Tests.Models;

/// <summary>
/// The tracker, as dce-receiver behind the shipped ACL on mosquitto with TLS, taking devices' retained
/// model release acks into a real PostgreSQL catalog.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelAckTrackingTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>, IAsyncLifetime
{
    private readonly TempDirectory _dir = new("dce-model-tracking");
    private SecureBroker? _broker;
    private NpgsqlDataSource? _dataSource;
    private PostgresFleetCatalog? _catalog;
    private GatedIngest? _ingest;
    private DeviceTracker? _tracker;
    private SimulatedModelDevice? _device;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PostgresFleetCatalog Catalog => _catalog!;

    private GatedIngest Ingest => _ingest!;

    private SimulatedModelDevice Device => _device!;

    public async ValueTask InitializeAsync()
    {
        _broker = await SecureBroker.StartAsync(new MosquittoOptions { AclFile = ModelBrokerAcl.Write(_dir) }, Ct);
        _dataSource = await postgres.CreateMigratedDatabaseAsync();
        _catalog = new PostgresFleetCatalog(_dataSource);
        _ingest = new GatedIngest(_catalog);
        _device = await SimulatedModelDevice.ConnectAsync(_broker, "acme", "cam-1", Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_tracker is not null)
        {
            await _tracker.StopAsync(CancellationToken.None);
            _tracker.Dispose();
        }

        if (_device is not null)
        {
            await _device.DisposeAsync();
        }

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

        _dir.Dispose();
    }

    [Fact]
    public async Task RetainedAcks_FromBeforeAndAfterTheTrackerStarted_AreStoredPerVersion_AndTheDeviceShowsItsModel()
    {
        // Published while no fleet service runs: the broker keeps them (retained) for the tracker.
        await Device.PublishStatusAsync(Ct);
        await Device.PublishAckAsync(
            ModelAck("cam-1", 3, ModelReleaseStage.RolledBack, 2, activeVersion: 2, reasons: [("overLatencyBudget", "p95 410 ms over 40 ms")],
                probation: Probation(410, 280_000_000)),
            Ct);
        await StartTrackerAsync();
        Assert.Equal(
            ["model cam-1 det v3", "status cam-1"],
            (await Ingest.NextAsync(2)).Where(w => w.Ok).Select(w => w.What).Order(StringComparer.Ordinal));

        await Device.PublishAckAsync(ModelAck("cam-1", 4, ModelReleaseStage.Probation, 3, activeVersion: 2), Ct);
        await Device.PublishAckAsync(ModelAck("cam-1", 4, ModelReleaseStage.Active, 4, activeVersion: 4, probation: Probation(35, 250_000_000)), Ct);
        Assert.Equal([("model cam-1 det v4", true), ("model cam-1 det v4", true)], await Ingest.NextAsync(2));

        var acks = await Catalog.ListModelReleasesAsync("acme", "det", null, Ct);
        Assert.Equal(["v3 rolledBack overLatencyBudget", "v4 active "], acks.Select(a => $"v{a.Version} {a.Stage} {string.Join(",", a.Reasons.Select(r => r.Reason))}"));
        var model = Assert.Single(Assert.Single(await Catalog.ListDevicesAsync("acme", Ct)).Models);
        Assert.Equal((4, ModelSha("det", 4), "active", 35.0, 250_000_000L), (model.ActiveVersion, model.ActiveSha256, model.Stage, model.Probation?.LatencyP95Ms, model.Probation?.ResidentBytes));
    }

    [Fact]
    public async Task MalformedOrMismatchedAcks_AreCounted_AndChangeNothingStored()
    {
        await StartTrackerAsync();
        await Device.PublishAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
        Assert.Equal(("model cam-1 det v2", true), Assert.Single(await Ingest.NextAsync(1)));

        await Device.PublishRawAckAsync("det", "{not json"u8.ToArray(), Ct);
        await Device.PublishRawAckAsync("det", """{"fleet":"acme","device":"cam-1","name":"det","version":3,"sha256":"","stage":"maybe","reasons":[],"activeVersion":2,"at":"2026-12-05T10:30:00Z"}"""u8.ToArray(), Ct);
        await Device.PublishAckAsync(ModelAck("cam-1", 3, ModelReleaseStage.Active, 2, activeVersion: 3) with { Device = "cam-2" }, Ct);
        await Device.PublishRawAckAsync("lane", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            ModelAck("cam-1", 3, ModelReleaseStage.Active, 2, activeVersion: 3), UplinkJson.TypeInfo<ModelReleaseAck>()), Ct);
        await Device.PublishAckAsync(ModelAck("cam-1", -3, ModelReleaseStage.Active, 2, activeVersion: 3), Ct);

        // A good message after them: once it is written, the bad ones were handled.
        await Device.PublishStatusAsync(Ct);
        Assert.Equal([("model cam-1 det v-3", false), ("status cam-1", true)], await Ingest.NextAsync(2));

        Assert.Equal(3, _tracker!.Counters.Unparseable); // not JSON, an unknown stage, a negative version
        Assert.Equal(2, _tracker.Counters.Refused); // names cam-2 on cam-1's topic; names det on lane's topic
        var held = Assert.Single(await Catalog.ListModelReleasesAsync(null, null, null, Ct));
        Assert.Equal(("det", 2, "active"), (held.Name, held.Version, held.Stage));
    }

    private async Task StartTrackerAsync()
    {
        _tracker = new DeviceTracker(
            Ingest,
            new TrackerOptions
            {
                ClientId = $"trk-{Guid.NewGuid():N}",
                SharedGroup = "trk",
                CheckInterval = TimeSpan.FromMilliseconds(50),
                Broker = Reconnecting(_broker!.OptionsFor("dce-receiver")),
            },
            TimeProvider.System,
            NullLogger<DeviceTracker>.Instance);
        await _tracker.StartAsync(Ct);
        await _tracker.Subscribed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    private static UplinkOptions Reconnecting(UplinkOptions options)
    {
        options.ReconnectDelay = TimeSpan.FromMilliseconds(100);
        options.MaxReconnectDelay = TimeSpan.FromSeconds(1);
        return options;
    }
}
