using System.Security.Cryptography;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>
/// A device's model side as the agent composes it: its own connection (retained status, Last Will), its
/// <see cref="ModelReleaseReceiver"/> (verifies each release against the fleet key, fetches the chunks,
/// acks every step) and its <see cref="DeviceCommands"/> (answers <c>rollbackModel</c>); only the activator
/// is a stand-in (<see cref="ScriptedActivator"/>).
/// </summary>
internal sealed class ModelConsoleDevice : IAsyncDisposable
{
    private readonly DeviceConnection _connection;
    private readonly ModelReleaseReceiver _receiver;
    private readonly LiteDbClipCatalog _catalog;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private ModelConsoleDevice(DeviceConnection connection, ModelReleaseReceiver receiver, LiteDbClipCatalog catalog, ScriptedActivator activator)
    {
        _connection = connection;
        _receiver = receiver;
        _catalog = catalog;
        Activator = activator;
        _ = new DeviceCommands(new CommandDependencies(connection, catalog, new UploadRequests(), new CommandOptions(), TimeProvider.System) { Models = receiver });
        _run = receiver.RunAsync(_stop.Token);
    }

    public ScriptedActivator Activator { get; }

    public static async Task<ModelConsoleDevice> StartAsync(
        SecureBroker broker, TempDirectory dir, string fleet, string device, string[] groups, ECDsa fleetKey, ModelIo io, ScriptedActivator activator, CancellationToken cancellationToken)
    {
        var connection = new DeviceConnection(broker.OptionsFor(device), broker.Endpoint, new FleetTopics(fleet, device));
        var releases = new ModelReleaseDevice(
            fleet, device, groups, new Dictionary<string, ECDsa> { [FleetKeys.KeyIdOf(fleetKey)] = fleetKey }, new Version(1, 0), 64L << 20, new DeclaredAdapters(io));
        var receiver = new ModelReleaseReceiver(
            connection, releases, new ModelReleaseOptions(), dir.Combine($"{device}-models"), activator, new ModelNetworkPolicy(false, []), TimeProvider.System,
            NullLogger<ModelReleaseReceiver>.Instance);
        var started = new ModelConsoleDevice(connection, receiver, new LiteDbClipCatalog(dir.Combine($"{device}-clips.db")), activator);
        Assert.True(await connection.EnsureConnectedAsync(cancellationToken), $"{device} could not connect to the broker");
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
        _receiver.Dispose();
        await _connection.DisposeAsync();
        _catalog.Dispose();
    }

    /// <summary>The adapters of the device's configured model: a release must declare exactly these inputs and outputs.</summary>
    private sealed class DeclaredAdapters(ModelIo io) : IModelContractCheck
    {
        public IReadOnlyList<string> Problems(string modelName, ModelIo other) =>
            io.Inputs.SequenceEqual(other.Inputs, TensorEquality.Instance) && io.Outputs.SequenceEqual(other.Outputs, TensorEquality.Instance)
                ? []
                : [$"model '{modelName}': the release's inputs or outputs differ from the configured adapters'"];
    }

    private sealed class TensorEquality : IEqualityComparer<ModelTensor>
    {
        public static TensorEquality Instance { get; } = new();

        public bool Equals(ModelTensor? x, ModelTensor? y) => x is not null && y is not null && x.Name == y.Name && x.Element == y.Element && x.Shape.SequenceEqual(y.Shape);

        public int GetHashCode(ModelTensor obj) => HashCode.Combine(obj.Name, obj.Element);
    }
}
