using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Cli.Commands;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Cli.Tests.Models;

/// <summary>
/// <c>models sign</c>, <c>push</c>, <c>status</c> and <c>rollback</c> against a device's release
/// receiver and command handler on mosquitto, with the device's real adapter check.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelsPushStatusRollbackTests : IDisposable
{
    private readonly ModelReleaseFiles _files = new();

    [Fact]
    public async Task PushedRelease_IsActiveInStatus_AndRollbackPutsThePreviousModelBack()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancellationToken);
        await _files.CreateKeysAsync();
        await using var device = await DeviceAsync(broker, cancellationToken);
        string[] common = ["--broker", $"127.0.0.1:{broker.Port.ToString(CultureInfo.InvariantCulture)}", "--fleet", ModelReleaseFiles.Fleet, "--timeout", "00:00:10"];

        foreach (var (version, model) in new[] { (1, "test-yolov8.onnx"), (2, "test-yolov8.onnx") })
        {
            var release = await _files.SignAsync(ModelReleaseFiles.Model(model), version, target: "group:" + ModelReleaseFiles.Group);
            var push = await Edgectl.RunAsync(["models", "push", release, ModelReleaseFiles.Model(model), .. common]);
            Assert.True(push.Exit == 0, push.Error);
            Assert.Contains($"pushed model 'detector' version {version}: 1 chunk(s)", push.Output, StringComparison.Ordinal);
            Assert.Contains($"release on dce/v1/f1/_groups/yard/models/detector/release", push.Output, StringComparison.Ordinal);
            Assert.Equal(("active", version, version), await StatusRowAsync(common, a => a.GetProperty("stage").GetString() == "active" && a.GetProperty("version").GetInt32() == version));
        }

        var table = await Edgectl.RunAsync(["models", "status", "--device", ModelReleaseFiles.Device, .. common]);
        Assert.Matches(@"DEVICE\s+MODEL\s+VERSION\s+STAGE\s+RECEIVED\s+ACTIVE\s+AT\s+REASONS", table.Output);
        Assert.Matches(@"dev1\s+detector\s+2\s+active\s+-\s+2\s+", table.Output);

        var rollback = await Edgectl.RunAsync(["models", "rollback", "--device", ModelReleaseFiles.Device, "--name", ModelReleaseFiles.Detector, .. common]);

        Assert.True(rollback.Exit == 0, rollback.Error);
        Assert.Equal("dev1: model 'detector' rolled back; version 1 runs", rollback.Output.Trim());
        Assert.Equal(["detector"], device.Activator.Rollbacks);
        Assert.Equal(("rolledBack", 2, 1), await StatusRowAsync(common, a => a.GetProperty("stage").GetString() == "rolledBack"));

        // Once only: the model before version 1 was the configured file, which is no release to roll back to twice.
        var again = await Edgectl.RunAsync(["models", "rollback", "--device", ModelReleaseFiles.Device, "--name", ModelReleaseFiles.Detector, .. common]);
        Assert.Equal(0, again.Exit);
        Assert.Equal("dev1: model 'detector' rolled back; the configured model file runs", again.Output.Trim());
        var none = await Edgectl.RunAsync(["models", "rollback", "--device", ModelReleaseFiles.Device, "--name", ModelReleaseFiles.Detector, .. common]);
        Assert.Equal(CommandRunner.Failed, none.Exit);
        Assert.Contains("not rolled back (no release of model 'detector' runs on this device", none.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_WithoutAModelName_IsRefusedByTheDevice_SayingWhichFieldIsMissing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancellationToken);
        await _files.CreateKeysAsync();
        await using var device = await DeviceAsync(broker, cancellationToken);
        await using var client = new Fleet.Client.FleetClient(new UplinkOptions(), new BrokerEndpoint("127.0.0.1", broker.Port));
        await client.ConnectAsync(cancellationToken);

        var reply = await client.SendAsync(ModelReleaseFiles.Fleet, ModelReleaseFiles.Device, new CommandRequest(CommandNames.RollbackModel), TimeSpan.FromSeconds(10), cancellationToken);

        Assert.False(reply.Ok);
        Assert.Equal("'modelName' is required: the model whose release to roll back", reply.Error);
    }

    [Theory]
    [InlineData("other-model", "is 515 bytes, but 'sizeBytes' in")]
    [InlineData("same-size-other-bytes", "has SHA-256")]
    [InlineData("trigger-set", "'payload' has no 'name': not a model release")]
    [InlineData("not-json", "not a signed model release:")]
    [InlineData("no-release-file", "no such file")]
    [InlineData("no-model-file", "no such file")]
    public async Task Push_OfAFileThatIsNotTheSignedOne_FailsNamingTheFileAndField_AndPublishesNothing(string bad, string expected)
    {
        await _files.CreateKeysAsync();
        var yolo = ModelReleaseFiles.Model("test-yolov8.onnx");
        var release = await _files.SignAsync(yolo, 1);
        var model = yolo;
        switch (bad)
        {
            case "other-model":
                model = ModelReleaseFiles.Model("test-classifier.onnx");
                break;
            case "same-size-other-bytes":
                model = _files.Combine("changed.onnx");
                var bytes = await File.ReadAllBytesAsync(yolo, TestContext.Current.CancellationToken);
                bytes[^1] ^= 1;
                await File.WriteAllBytesAsync(model, bytes, TestContext.Current.CancellationToken);
                break;
            case "trigger-set":
                release = _files.Combine("set.json");
                var payload = JsonSerializer.SerializeToUtf8Bytes(new { contract = "dce/v1", fleet = "f1", target = new { scope = "fleet" }, version = 1 });
                await File.WriteAllTextAsync(release, JsonSerializer.Serialize(new { keyId = "k", payload = Convert.ToBase64String(payload), signature = "s" }), TestContext.Current.CancellationToken);
                break;
            case "not-json":
                release = _files.Combine("release.json");
                await File.WriteAllTextAsync(release, "{ not json", TestContext.Current.CancellationToken);
                break;
            case "no-release-file":
                release = _files.Combine("missing.json");
                break;
            default:
                model = _files.Combine("missing.onnx");
                break;
        }

        // No broker: a bad input is reported before connecting.
        var push = await Edgectl.RunAsync("models", "push", release, model, "--broker", "127.0.0.1:1", "--fleet", ModelReleaseFiles.Fleet);

        Assert.Equal(EdgectlApp.UsageError, push.Exit);
        Assert.Contains(expected, push.Error, StringComparison.Ordinal);
        Assert.Contains(bad is "other-model" or "same-size-other-bytes" or "no-model-file" ? model : release, push.Error, StringComparison.Ordinal);
        Assert.Empty(push.Output);
    }

    public void Dispose() => _files.Dispose();

    private static async Task<(string? Stage, int Version, int ActiveVersion)> StatusRowAsync(string[] common, Func<JsonElement, bool> until)
    {
        // The device acks as it goes: read the retained acks until the awaited one is there, bounded.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var status = await Edgectl.RunAsync(["models", "status", "--json", .. common]);
            Assert.True(status.Exit == 0, status.Error);
            using var acks = JsonDocument.Parse(status.Output);
            var rows = acks.RootElement.EnumerateArray().ToList();
            if ((rows.Count == 1 && until(rows[0])) || DateTime.UtcNow > deadline)
            {
                var ack = Assert.Single(rows);
                return (ack.GetProperty("stage").GetString(), ack.GetProperty("version").GetInt32(), ack.GetProperty("activeVersion").GetInt32());
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private async Task<DeviceUnderTest> DeviceAsync(MosquittoBroker broker, CancellationToken cancellationToken)
    {
        var settings = DeviceModelSettings.Load(_files.WriteDeviceConfig());
        var connection = new DeviceConnection(new UplinkOptions(), new BrokerEndpoint("127.0.0.1", broker.Port), new FleetTopics(ModelReleaseFiles.Fleet, ModelReleaseFiles.Device));
        var activator = new SwappingActivator();
        var releaseDevice = new ModelReleaseDevice(
            ModelReleaseFiles.Fleet, ModelReleaseFiles.Device, settings.Groups, FleetKeys.LoadTrusted([_files.PublicKey]), new Version(0, 1), settings.Releases.MaxModelBytes,
            new ConfiguredModelContract(settings.Models));
        var receiver = new ModelReleaseReceiver(
            connection, releaseDevice, settings.Releases, _files.Combine("state"), activator, new ModelNetworkPolicy(false, []), TimeProvider.System, NullLogger<ModelReleaseReceiver>.Instance);
        var catalog = new LiteDbClipCatalog(_files.Combine("catalog.db"));
        _ = new DeviceCommands(new CommandDependencies(connection, catalog, new Uplink.Upload.UploadRequests(), new CommandOptions(), TimeProvider.System) { Models = receiver });
        var stop = new CancellationTokenSource();
        var run = receiver.RunAsync(stop.Token);
        Assert.True(await connection.EnsureConnectedAsync(cancellationToken));
        return new DeviceUnderTest(connection, receiver, activator, catalog, stop, run);
    }

    private sealed record DeviceUnderTest(
        DeviceConnection Connection, ModelReleaseReceiver Receiver, SwappingActivator Activator, LiteDbClipCatalog Catalog, CancellationTokenSource Stop, Task Run) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Run;
            Stop.Dispose();
            Receiver.Dispose();
            await Connection.DisposeAsync();
            Catalog.Dispose();
        }
    }

    /// <summary>Stands in for the inference layer's activator: every release swaps in, every rollback succeeds; calls are recorded.</summary>
    private sealed class SwappingActivator : IModelActivator
    {
        private readonly ConcurrentDictionary<string, (RunningRelease Active, RunningRelease? Previous)> _running = new(StringComparer.Ordinal);

        public RunningRelease? RunningOf(string modelName) => _running.TryGetValue(modelName, out var r) ? r.Active : null;

        public IReadOnlyList<ModelStartupRollback> UnreportedStartupRollbacks() => [];

        public void StartupRollbackReported(ModelStartupRollback rollback)
        {
        }

        public List<string> Rollbacks { get; } = [];

        public Task<ModelActivationOutcome> ActivateAsync(ModelReleasePayload release, string verifiedModelFile, CancellationToken cancellationToken)
        {
            using var file = File.OpenRead(verifiedModelFile);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
            if (sha256 != release.Sha256)
            {
                return Task.FromResult(new ModelActivationOutcome(false, ModelActivationFailure.LoadFailed, $"handed a file with SHA-256 {sha256}", null));
            }

            _running[release.Name] = (new RunningRelease(release.Version, release.Sha256), RunningOf(release.Name));
            return Task.FromResult(new ModelActivationOutcome(true, null, null, null));
        }

        public Task<ModelActivationOutcome> RollBackAsync(string modelName, CancellationToken cancellationToken)
        {
            lock (Rollbacks)
            {
                Rollbacks.Add(modelName);
            }

            if (_running.TryRemove(modelName, out var r) && r.Previous is { } previous)
            {
                _running[modelName] = (previous, null);
            }

            return Task.FromResult(new ModelActivationOutcome(true, null, null, null));
        }
    }
}
