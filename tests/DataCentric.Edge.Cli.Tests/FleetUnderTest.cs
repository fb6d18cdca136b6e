using System.Globalization;
using System.Security.Cryptography;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Fleet.Broker;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.RemoteConfig;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Cli.Tests;

/// <summary>
/// A broker and one device's fleet link in-process (session, uploader loop, remote sets, commands)
/// on real files, for edgectl to talk to; the fleet key pair is made with <c>edgectl keys new</c>.
/// </summary>
internal sealed class FleetUnderTest : IAsyncDisposable
{
    public const string Fleet = "f1";
    public const string Device = "d1";

    public static readonly IReadOnlyList<(string Name, SignalKind Kind)> Signals =
        [("shadow.obstacle", SignalKind.Number), ("primary.brake", SignalKind.Bool)];

    private readonly CancellationTokenSource _stop = new();
    private readonly IAsyncDisposable _broker;
    private Task? _loop;

    private FleetUnderTest(IAsyncDisposable broker, int port, TempDirectory dir, UplinkOptions? options)
    {
        _broker = broker;
        Port = port;
        Dir = dir;
        options ??= new UplinkOptions { ChunkBytes = 16 * 1024, AckTimeout = TimeSpan.FromMilliseconds(500) };
        options.Port = port;
        Catalog = new LiteDbClipCatalog(dir.Combine("catalog.db"));
        Store = new ClipFileStore(dir.Combine("clips"), new RawFramesClipWriter(), Catalog, TimeProvider.System);
        Connection = new DeviceConnection(options, new BrokerEndpoint("127.0.0.1", port), new FleetTopics(Fleet, Device));
        Active = new ActiveTriggerSet(TriggerSetCompiler.Compile(SetSource(1), TriggerSourceFormat.Yaml, Signals).GetSetOrThrow());
        Requests = new UploadRequests();
        Uploader = new MqttClipUploader(Connection, Catalog, Store);
        Loop = new UploadLoop(Uploader, Catalog, new UploadPolicyGate(Active.PolicyOf, new Offline(), Requests), Requests, TimeProvider.System)
        {
            IdleRecheck = TimeSpan.FromMilliseconds(100),
        };
    }

    /// <summary>The broker's port: the in-process MQTTnet server's, or mosquitto's.</summary>
    public int Port { get; }

    /// <summary>The cap on pins the device's <c>pin</c> command checks.</summary>
    public StorageOptions Storage { get; } = new() { ClipQuotaBytes = 1024 * 1024, MaxPinnedQuotaPercent = 50 };

    public TempDirectory Dir { get; }

    public LiteDbClipCatalog Catalog { get; }

    public ClipFileStore Store { get; }

    public DeviceConnection Connection { get; }

    public ActiveTriggerSet Active { get; }

    public UploadRequests Requests { get; }

    public MqttClipUploader Uploader { get; }

    public UploadLoop Loop { get; }

    public RemoteTriggerSets Remote { get; private set; } = null!;

    public string BrokerArgument => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string KeyPrefix => Dir.Combine("fleet");

    /// <summary>The broker, fleet and timeout arguments every edgectl call here needs.</summary>
    public string[] Common => ["--broker", BrokerArgument, "--fleet", Fleet, "--timeout", "00:00:10"];

    public static async Task<FleetUnderTest> StartAsync()
    {
        var broker = await EmbeddedBroker.StartAsync(0);
        return await StartAsync(new FleetUnderTest(broker, broker.Port, new TempDirectory(), options: null));
    }

    /// <summary>On mosquitto, which answers an upload nobody subscribes to with PUBACK 0x10 as a fleet's broker does.</summary>
    public static async Task<FleetUnderTest> StartOnMosquittoAsync(UplinkOptions options)
    {
        var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        return await StartAsync(new FleetUnderTest(broker, broker.Port, new TempDirectory(), options));
    }

    private static async Task<FleetUnderTest> StartAsync(FleetUnderTest fleet)
    {
        var (exit, _, error) = await Edgectl.RunAsync("keys", "new", "--out", fleet.KeyPrefix);
        Assert.True(exit == 0, error);
        var trusted = FleetKeys.LoadTrusted([fleet.KeyPrefix + ".pub"]);
        fleet.Remote = new RemoteTriggerSets(
            fleet.Connection, fleet.Active, new TriggerSetDevice(Fleet, Device, ["g1"], trusted, Signals, 64 * 1024), fleet.Dir.Combine("sets"), TimeProvider.System);
        _ = new DeviceCommands(new CommandDependencies(fleet.Connection, fleet.Catalog, fleet.Requests, new CommandOptions(), TimeProvider.System)
        {
            TriggerSets = fleet.Active,
            Pins = new PinBudget(fleet.Catalog, fleet.Storage),
        });
        fleet._loop = fleet.Loop.RunAsync(fleet._stop.Token);
        await Waits.UntilAsync(() => fleet.Connection.IsReady, "the device is connected and subscribed");
        return fleet;
    }

    public static string SetSource(int version) => string.Create(CultureInfo.InvariantCulture, $"""
        schemaVersion: 1
        version: {version}
        triggers:
          - id: missed-obstacle
            when: shadow.obstacle > 0.5 and not primary.brake
            pre: 1s
            post: 1s
            priority: 5
            upload: onRequest
        """);

    public string WriteSet(int version, string? source = null)
    {
        var path = Dir.Combine($"set-v{version}.yaml");
        File.WriteAllText(path, source ?? SetSource(version));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        Loop.Dispose();
        Remote.Dispose();
        await Uploader.DisposeAsync();
        Catalog.Dispose();
        await _broker.DisposeAsync();
        _stop.Dispose();
        Dir.Dispose();
    }

    private sealed class Offline : INetworkState
    {
        public bool IsUnmeteredUp => false;
    }
}

internal static class Waits
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            try
            {
                // Polls state another thread sets (a connection); bounded by the timeout.
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting until {what}");
            }
        }
    }
}
