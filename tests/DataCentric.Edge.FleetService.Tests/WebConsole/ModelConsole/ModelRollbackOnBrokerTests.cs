using System.Globalization;
using System.Net;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.Logging.Abstractions;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>The console's model rollback through the operator link on a real mosquitto (TLS, the shipped ACL): a device that is away, and one that has no release to roll back.</summary>
[Trait("Category", "Integration")]
public sealed class ModelRollbackOnBrokerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("dce-console-model-rollback");
    private SecureBroker? _broker;
    private LiteDbFleetCatalog? _catalog;
    private ApiUnderTest? _api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _broker = await SecureBroker.StartAsync(cancellationToken: Ct);
        _catalog = new LiteDbFleetCatalog(_dir.Combine("catalog.db"));
        var store = new DirectoryClipObjectStore(_dir.Combine("objects"), TimeProvider.System, NullLogger<DirectoryClipObjectStore>.Instance);
        var op = _broker.OptionsFor("dce-operator");
        var settings = new Dictionary<string, string?>
        {
            ["Operator:ClientId"] = $"dce-fleet-op-{Guid.NewGuid():N}",
            ["Operator:CommandTimeout"] = "00:00:10",
            ["Operator:Broker:Host"] = op.Host,
            ["Operator:Broker:Port"] = op.Port.ToString(CultureInfo.InvariantCulture),
            ["Operator:Broker:UseTls"] = "true",
            ["Operator:Broker:CaCertificatePath"] = op.CaCertificatePath,
            ["Operator:Broker:ClientCertificatePath"] = op.ClientCertificatePath,
            ["Operator:Broker:ClientKeyPath"] = op.ClientKeyPath,
        };
        _api = await ApiUnderTest.StartAsync(_catalog, store, _dir, settings: settings);
        await _catalog.RecordModelReleaseAckAsync(ModelAck("cam-1", 2, ModelReleaseStage.Active, 1, activeVersion: 2), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        _catalog?.Dispose();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task ADeviceThatIsAway_Is409_NothingWasRolledBack()
    {
        using var op = _api!.Client(ApiUnderTest.OperatorToken);

        using var response = await op.PostAsync("/api/console/devices/acme/cam-1/models/det/rollback", Json("""{"version":2}"""), Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("acme/cam-1 is offline (not listening for commands): nothing was rolled back", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeviceWithNoReleaseRunning_AnswersItself_And409CarriesItsReason()
    {
        using var key = FleetKeys.New();
        var activator = ScriptedActivator.Passing();
        await using var device = await ModelConsoleDevice.StartAsync(
            _broker!, _dir, "acme", "cam-1", [], key, new ModelIo([], []), activator, Ct);
        using var op = _api!.Client(ApiUnderTest.OperatorToken);

        using var response = await op.PostAsync("/api/console/devices/acme/cam-1/models/det/rollback", Json("""{"version":2}"""), Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("cam-1: det not rolled back (no release of model 'det' runs on this device: the configured model file runs)", await DetailAsync(response), StringComparison.Ordinal);
        Assert.Empty(activator.Rollbacks);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return problem.RootElement.GetProperty("detail").GetString()!;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
