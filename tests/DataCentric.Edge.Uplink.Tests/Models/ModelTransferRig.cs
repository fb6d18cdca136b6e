using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using DataCentric.Edge.Uplink.Tests.Connection;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>
/// One device's model release receiver on a real broker, with its state in a temp directory, the
/// fleet's signing key and a fleet-side client that publishes chunks and releases and watches the
/// device's acks on the wire. <see cref="StopDeviceAsync"/> and <see cref="StartDeviceAsync"/> play
/// an agent stopped and started again on the same state.
/// </summary>
internal sealed class ModelTransferRig : IAsyncDisposable
{
    public const string Fleet = "fleet1";
    public const string Device = "dev1";
    public const string Group = "yard";
    public const string Name = "detector";

    private readonly IMqttClient _fleetClient;
    private DeviceConnection? _connection;
    private CancellationTokenSource? _stop;
    private Task? _run;

    private ModelTransferRig(BrokerEndpoint endpoint, IMqttClient fleetClient, ModelReleaseOptions options, ModelNetworkPolicy network)
    {
        Endpoint = endpoint;
        _fleetClient = fleetClient;
        Options = options;
        Network = network;
        Activator = new RecordingActivator(Dir.Combine("activated"));
        fleetClient.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Payload.Length > 0)
            {
                WireAcks.Enqueue(JsonSerializer.Deserialize(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload), UplinkJson.TypeInfo<ModelReleaseAck>())!);
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>ResNet18 (63 MB, 486 chunks): the real model for transfers of many chunks (downloaded by restore, see the csproj).</summary>
    public static string ResNet18 { get; } = typeof(ModelTransferRig).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18OnnxPath").Value!;

    public TempDirectory Dir { get; } = new("dce-model-transfer");

    public ECDsa Key { get; } = FleetKeys.New();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    public BrokerEndpoint Endpoint { get; }

    public ModelReleaseOptions Options { get; }

    public ModelNetworkPolicy Network { get; }

    public RecordingActivator Activator { get; }

    public IModelActivator? ActivatorForDevice { get; set; }

    public string StateDirectory => Dir.Combine("state");

    public ModelReleaseReceiver? Receiver { get; private set; }

    /// <summary>What the device's receiver logged, across its starts.</summary>
    public RecordingLogger<ModelReleaseReceiver> Log { get; } = new();

    /// <summary>Every ack the fleet client saw on the device's ack topics, in order.</summary>
    public ConcurrentQueue<ModelReleaseAck> WireAcks { get; } = [];

    /// <summary>Every ack the device decided, sent or not (for failure messages).</summary>
    public ConcurrentQueue<ModelReleaseAck> DeviceAcks { get; } = [];

    public static string Model(string file) => RepositoryFiles.Path("firmware-config", "models", file);

    public static async Task<ModelTransferRig> StartAsync(BrokerEndpoint endpoint, ModelReleaseOptions? options = null, ModelNetworkPolicy? network = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var rig = new ModelTransferRig(endpoint, client, options ?? new ModelReleaseOptions(), network ?? new ModelNetworkPolicy(false, []));
        rig.ActivatorForDevice = rig.Activator;
        await client.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer(endpoint.Host, endpoint.Port).WithClientId($"fleet-{Guid.NewGuid():N}")
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCleanStart().Build(),
            TestContext.Current.CancellationToken);
        await client.SubscribeAsync(ModelTopics.Acks(Fleet, Device), MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        return rig;
    }

    /// <summary>The device as the agent makes it: connection, receiver (subscribed before connecting), its loop; then connects.</summary>
    public async Task StartDeviceAsync(bool connect = true)
    {
        _connection = new DeviceConnection(new UplinkOptions(), Endpoint, new FleetTopics(Fleet, Device));
        var device = new ModelReleaseDevice(
            Fleet, Device, [Group], new Dictionary<string, ECDsa> { [FleetKeys.KeyIdOf(Key)] = Key }, new Version(0, 1, 0), 128L * 1024 * 1024, new AnyModelFits());
        Receiver = new ModelReleaseReceiver(_connection, device, Options, StateDirectory, ActivatorForDevice, Network, Time, Log);
        Receiver.Acks.Acked += DeviceAcks.Enqueue;
        _stop = new CancellationTokenSource();
        _run = Receiver.RunAsync(_stop.Token);
        if (connect)
        {
            await ConnectDeviceAsync();
        }
    }

    public async Task ConnectDeviceAsync() => Assert.True(await _connection!.EnsureConnectedAsync(TestContext.Current.CancellationToken));

    /// <summary>Stops the agent's receiver and drops its connection; what is on disk stays.</summary>
    public async Task StopDeviceAsync()
    {
        if (_stop is not null)
        {
            await _stop.CancelAsync();
            await _run!;
            _stop.Dispose();
            _stop = null;
        }

        Receiver?.Dispose();
        Receiver = null;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public static ModelReleasePayload Payload(string modelFile, int version, TriggerSetTarget? target = null, string fleet = Fleet, string name = Name)
    {
        using var file = File.OpenRead(modelFile);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        var io = new ModelIo([new ModelTensor("images", "float", [1, 3, 640, 640])], [new ModelTensor("output0", "float", [1, 84, 8400])]);
        return new ModelReleasePayload(
            FleetTopics.Root, fleet, target ?? new TriggerSetTarget(TargetScope.Device, Device), name, version, sha256, file.Length, io, DateTimeOffset.UtcNow);
    }

    public byte[] Sign(ModelReleasePayload release, ECDsa? key = null) => ModelReleaseSigner.Sign(release, key ?? Key);

    /// <summary>Publishes the chunks of <paramref name="file"/> (retained) under <paramref name="sha256"/>; only those in <paramref name="only"/> when given.</summary>
    public async Task PublishChunksAsync(string file, string sha256, Func<int, bool>? only = null)
    {
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        var count = ModelTopics.ChunkCount(bytes.Length);
        for (var i = 0; i < count; i++)
        {
            if (only is null || only(i))
            {
                var start = i * ModelTopics.ChunkBytes;
                await PublishRetainedAsync(ModelTopics.Chunk(Fleet, sha256, i), bytes.AsMemory(start, Math.Min(ModelTopics.ChunkBytes, bytes.Length - start)).ToArray());
            }
        }
    }

    /// <summary>What <c>edgectl models push</c> does: chunks, then the release on its target's topic.</summary>
    public async Task PushAsync(string modelFile, ModelReleasePayload release)
    {
        Assert.Equal(ModelTopics.ChunkCount(release.SizeBytes), await ModelChunkPublisher.PublishAsync(_fleetClient, Fleet, release.Sha256, modelFile, null, TestContext.Current.CancellationToken));
        await PublishRetainedAsync(ModelTopics.ReleaseOf(release), Sign(release));
    }

    public async Task PublishRetainedAsync(string topic, byte[] payload)
    {
        var result = await _fleetClient.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            TestContext.Current.CancellationToken);
        Assert.True(result.IsSuccess, $"{topic}: {result.ReasonCode}");
    }

    /// <summary>Waits for an ack on the wire that satisfies <paramref name="match"/>.</summary>
    public async Task<ModelReleaseAck> AckAsync(Func<ModelReleaseAck, bool> match, string what)
    {
        ModelReleaseAck? found = null;
        await Waits.WaitUntilAsync(() => (found = WireAcks.LastOrDefault(match)) is not null, what + "; acks on the wire: " + string.Join(" | ", WireAcks.Select(Describe)) + "; acks decided: " + string.Join(" | ", DeviceAcks.Select(Describe)));
        return found!;
    }

    public static string Describe(ModelReleaseAck a) =>
        $"v{a.Version} {a.Stage} {a.BytesReceived} [{string.Join(", ", a.Reasons.Select(r => r.Reason + ": " + r.Message))}]";

    public async ValueTask DisposeAsync()
    {
        await StopDeviceAsync();
        await _fleetClient.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        _fleetClient.Dispose();
        Key.Dispose();
        Dir.Dispose();
    }
}
