using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.FleetService.Tests.Catalog;
using DataCentric.Edge.FleetService.Tests.Tracking;
using DataCentric.Edge.FleetService.Tracking;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;
using static DataCentric.Edge.FleetService.Tests.Models.RolloutEnvelopeSamples;

namespace DataCentric.Edge.FleetService.Tests.Models;

/// <summary>
/// Staged rollouts end to end on real parts: mosquitto with TLS and the shipped ACL (plus the device
/// side's model lines), a PostgreSQL catalog, the tracker as dce-receiver, the API publishing as
/// dce-operator, and four simulated devices that receive their envelopes and answer with retained
/// ModelReleaseAck messages as their own identities.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelRolloutTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>, IAsyncLifetime
{
    private static readonly string[] DeviceIds = ["cam-1", "cam-2", "cam-3", "cam-4"];
    private readonly TempDirectory _dir = new("dce-model-rollout");
    private readonly RolloutEnvelopeSamples _envelopes = new();
    private readonly Dictionary<string, SimulatedModelDevice> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _signed = new(StringComparer.Ordinal);
    private int _minutes;
    private SecureBroker? _broker;
    private NpgsqlDataSource? _dataSource;
    private GatedIngest? _ingest;
    private DeviceTracker? _tracker;
    private ApiUnderTest? _api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GatedIngest Ingest => _ingest!;

    /// <summary>The two canaries of 50 % of the four devices, and the other two.</summary>
    private static List<string> Canaries { get; } = ExpectedCanaries("acme", DeviceIds, 2);

    private static List<string> Others { get; } = [.. DeviceIds.Except(Canaries)];

    public async ValueTask InitializeAsync()
    {
        _broker = await SecureBroker.StartAsync(new MosquittoOptions { AclFile = ModelBrokerAcl.Write(_dir) }, Ct);
        _dataSource = await postgres.CreateMigratedDatabaseAsync();
        var catalog = new PostgresFleetCatalog(_dataSource);
        _ingest = new GatedIngest(catalog);
        var receiver = _broker.OptionsFor("dce-receiver");
        receiver.ReconnectDelay = TimeSpan.FromMilliseconds(100);
        _tracker = new DeviceTracker(
            _ingest,
            new TrackerOptions { ClientId = $"trk-{Guid.NewGuid():N}", SharedGroup = "trk", CheckInterval = TimeSpan.FromMilliseconds(50), Broker = receiver },
            TimeProvider.System,
            NullLogger<DeviceTracker>.Instance);
        await _tracker.StartAsync(Ct);
        await _tracker.Subscribed.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var op = _broker.OptionsFor("dce-operator");
        var store = new DirectoryClipObjectStore(_dir.Combine("objects"), TimeProvider.System, NullLogger<DirectoryClipObjectStore>.Instance);
        _api = await ApiUnderTest.StartAsync(catalog, store, _dir, settings: new Dictionary<string, string?>
        {
            ["Operator:ClientId"] = $"dce-fleet-op-{Guid.NewGuid():N}",
            ["Operator:Broker:Host"] = op.Host,
            ["Operator:Broker:Port"] = op.Port.ToString(CultureInfo.InvariantCulture),
            ["Operator:Broker:UseTls"] = "true",
            ["Operator:Broker:CaCertificatePath"] = op.CaCertificatePath,
            ["Operator:Broker:ClientCertificatePath"] = op.ClientCertificatePath,
            ["Operator:Broker:ClientKeyPath"] = op.ClientKeyPath,
        });

        foreach (var id in DeviceIds)
        {
            _devices[id] = await SimulatedModelDevice.ConnectAsync(_broker, "acme", id, Ct);
            await _devices[id].PublishStatusAsync(Ct);
        }

        Assert.Equal(DeviceIds.Length, (await Ingest.NextAsync(DeviceIds.Length)).Count(w => w.Ok));
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        foreach (var device in _devices.Values)
        {
            await device.DisposeAsync();
        }

        if (_tracker is not null)
        {
            await _tracker.StopAsync(CancellationToken.None);
            _tracker.Dispose();
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

        _envelopes.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task CanariesAccept_PromoteReachesTheRestOfTheFleet_AndEachStageReportsProbationLatencyAndRss()
    {
        using var op = _api!.Client(ApiUnderTest.OperatorToken);
        var canaries = await op.GetFromJsonAsync("/api/models/det/rollouts/canaries?fleet=acme&percent=50", FleetApiJsonContext.Default.ApiCanaries, Ct);
        Assert.Equal(4, canaries!.FleetDevices);
        Assert.Equal(Canaries, canaries.Devices);

        var started = await StartAsync(op);
        Assert.Equal(("running", 0), (started.State, started.CurrentStage));
        Assert.Equal([.. Canaries.Select(c => $"device:{c}")], started.Stages[0].Targets);
        Assert.Equal(["fleet"], started.Stages[1].Targets);

        // Each canary gets exactly the envelope signed for it, on its own release topic.
        foreach (var canary in Canaries)
        {
            var (topic, envelope) = await _devices[canary].NextReleaseAsync(Ct);
            Assert.Equal($"dce/v1/acme/{canary}/models/det/release", topic);
            Assert.Equal(_signed[canary], Encoding.UTF8.GetString(envelope));
        }

        // Promote while the canaries are still in probation: refused, naming them.
        await AckAsync(Canaries[0], ModelReleaseStage.Active, Probation(31.5, 310_000_000));
        await AckAsync(Canaries[1], ModelReleaseStage.Probation, null);
        var early = await op.PostAsync($"/api/models/det/rollouts/{started.Id}/promote", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains($"stage 0 has 1 device(s) without a final step: {Canaries[1]} (probation)", await early.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await AckAsync(Canaries[1], ModelReleaseStage.Active, Probation(29, 305_000_000));
        var promoted = await PromoteAsync(op, started.Id, HttpStatusCode.OK);
        Assert.Equal(("completed", 1), (promoted.State, promoted.CurrentStage));
        foreach (var other in Others)
        {
            var (topic, envelope) = await _devices[other].NextReleaseAsync(Ct);
            Assert.Equal(("dce/v1/acme/_fleet/models/det/release", _signed["fleet"]), (topic, Encoding.UTF8.GetString(envelope)));
            await AckAsync(other, ModelReleaseStage.Active, Probation(33, 300_000_000));
        }

        var status = await GetAsync(op, started.Id);
        Assert.Equal((2, 0, 0, (int?)0), (status.Stages[0].Accepted, status.Stages[0].RolledBack, status.Stages[0].Refused, status.Stages[0].Pending));
        Assert.Equal((2, (int?)0), (status.Stages[1].Accepted, status.Stages[1].Pending));
        Assert.Equal(Others, status.Stages[1].Devices.Select(d => d.Device));
        var first = Assert.Single(status.Stages[0].Devices, d => d.Device == Canaries[0]);
        Assert.Equal(("active", 31.5, 310_000_000L), (first.Stage, first.Probation?.LatencyP95Ms, first.Probation?.ResidentBytes));
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsync($"/api/models/det/rollouts/{started.Id}/promote", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task ACanaryRollsBack_TheRolloutHaltsWithItsReason_PromoteIsRefused_AndTheFleetStageStaysUnpublished()
    {
        using var op = _api!.Client(ApiUnderTest.OperatorToken);
        var started = await StartAsync(op);
        foreach (var canary in Canaries)
        {
            await _devices[canary].NextReleaseAsync(Ct);
        }

        await AckAsync(Canaries[0], ModelReleaseStage.Active, Probation(30, 300_000_000));
        await AckAsync(
            Canaries[1], ModelReleaseStage.RolledBack, Probation(412, 298_000_000), [("overLatencyBudget", "p95 412 ms is over the 40 ms budget")], activeVersion: 2);

        using var viewer = _api.Client(ApiUnderTest.ViewerToken);
        var halted = await GetAsync(viewer, started.Id);
        Assert.Equal("halted", halted.State);
        Assert.Equal($"{Canaries[1]} rolled back det v3: overLatencyBudget: p95 412 ms is over the 40 ms budget", halted.HaltReason);
        Assert.Equal((1, 1, (int?)0), (halted.Stages[0].Accepted, halted.Stages[0].RolledBack, halted.Stages[0].Pending));

        var refused = await op.PostAsync($"/api/models/det/rollouts/{started.Id}/promote?force=true", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"is halted: {Canaries[1]} rolled back det v3", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null((await GetAsync(op, started.Id)).Stages[1].PublishedAt);
        Assert.All(Others, o => Assert.False(_devices[o].Releases.Reader.TryRead(out _), $"{o} got a release"));

        // The halt is recorded: a new rollout of the model may start (the next version, after a fix).
        var next = await StartAsync(op, version: 4);
        Assert.Equal("running", next.State);
    }

    [Fact]
    public async Task OperatorHalt_IsRecordedWithWhoAndWhy_AndASecondRolloutOfTheModelWaitsForIt()
    {
        using var op = _api!.Client(ApiUnderTest.OperatorToken);
        var started = await StartAsync(op);
        var second = await op.PostAsync("/api/models/det/rollouts", Body(version: 4), Ct);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains($"rollout {started.Id} of det v3 is still running: halt it first", await second.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var halt = await op.PostAsync($"/api/models/det/rollouts/{started.Id}/halt?reason=field%20reports", null, Ct);
        var halted = await halt.Content.ReadFromJsonAsync(FleetApiJsonContext.Default.ApiRollout, Ct);
        Assert.Equal(("halted", "halted by olga: field reports"), (halted!.State, halted.HaltReason));
        Assert.Equal("halted", (await GetAsync(op, started.Id)).State);
    }

    private async Task<ApiRollout> StartAsync(HttpClient op, int version = 3)
    {
        var response = await op.PostAsync("/api/models/det/rollouts", Body(version), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync(FleetApiJsonContext.Default.ApiRollout, Ct))!;
    }

    /// <summary>The request body, each envelope signed for it now (kept in <see cref="_signed"/> to compare with what devices receive).</summary>
    private StringContent Body(int version = 3)
    {
        foreach (var canary in Canaries)
        {
            _signed[canary] = _envelopes.Envelope(Device(canary), version);
        }

        _signed["fleet"] = _envelopes.Envelope(WholeFleet, version);
        return new StringContent(RolloutEnvelopeSamples.Body(50, [.. Canaries.Select(c => _signed[c])], [_signed["fleet"]]), Encoding.UTF8, "application/json");
    }

    private static async Task<ApiRollout> PromoteAsync(HttpClient op, string id, HttpStatusCode expected)
    {
        var response = await op.PostAsync($"/api/models/det/rollouts/{id}/promote", null, Ct);
        Assert.True(response.StatusCode == expected, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync(FleetApiJsonContext.Default.ApiRollout, Ct))!;
    }

    private static async Task<ApiRollout> GetAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync($"/api/models/det/rollouts/{id}", FleetApiJsonContext.Default.ApiRollout, Ct))!;

    /// <summary>The device answers version 3 with a retained ack; returns once the tracker stored it.</summary>
    private async Task AckAsync(
        string device, ModelReleaseStage stage, ModelProbationReport? probation, (string, string)[]? reasons = null, int activeVersion = 3)
    {
        _minutes++;
        await _devices[device].PublishAckAsync(ModelAck(device, 3, stage, _minutes, activeVersion, reasons: reasons, probation: probation), Ct);
        Assert.Equal(($"model {device} det v3", true), Assert.Single(await Ingest.NextAsync(1)));
    }
}
