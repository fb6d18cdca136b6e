using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Broker;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.TestKit.Network;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests;

/// <summary>
/// A real broker (embedded MQTTnet or mosquitto), a real catalog and store, a device connection with
/// its uploader, and a receiver, in temp directories. <see cref="RestartDevice"/> plays an agent
/// killed and started again on the same data. Behind a <see cref="FaultProxy"/>, only the device's
/// link goes through the proxy; the receiver stays on the broker directly.
/// </summary>
internal sealed class UplinkFixture : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _crashed = [];
    private readonly EmbeddedBroker? _embedded;
    private readonly MosquittoBroker? _mosquitto;
    private readonly IAsyncDisposable? _otherBroker;
    private readonly FaultProxy? _proxy;

    private UplinkFixture(EmbeddedBroker? embedded, MosquittoBroker? mosquitto, IAsyncDisposable? otherBroker, int port, TempDirectory dir, UplinkOptions options, string? sharedGroup, FaultProxy? proxy = null)
    {
        _embedded = embedded;
        _mosquitto = mosquitto;
        _otherBroker = otherBroker;
        _proxy = proxy;
        Dir = dir;
        Options = options;
        Endpoint = new BrokerEndpoint("127.0.0.1", port);
        DeviceEndpoint = proxy is null ? Endpoint : new BrokerEndpoint("127.0.0.1", proxy.Port);
        Topics = new FleetTopics("fleet1", "dev1");
        Catalog = new LiteDbClipCatalog(dir.Combine("catalog.db"));
        Store = new ClipFileStore(dir.Combine("clips"), new RawFramesClipWriter(), Catalog, TimeProvider.System);
        Connection = new DeviceConnection(options, DeviceEndpoint, Topics);
        Uploader = new MqttClipUploader(Connection, Catalog, Store);
        Receiver = new ClipReceiver(new ReceiverOptions { OutputDirectory = dir.Combine("received"), SharedGroup = sharedGroup }, options, Endpoint);
    }

    public TempDirectory Dir { get; }

    public UplinkOptions Options { get; private set; }

    /// <summary>The broker, as the receiver and test clients reach it.</summary>
    public BrokerEndpoint Endpoint { get; }

    /// <summary>Where the device connects: the fault proxy when there is one, else the broker.</summary>
    public BrokerEndpoint DeviceEndpoint { get; }

    public FleetTopics Topics { get; }

    public LiteDbClipCatalog Catalog { get; private set; }

    public ClipFileStore Store { get; private set; }

    public DeviceConnection Connection { get; private set; }

    public MqttClipUploader Uploader { get; private set; }

    public ClipReceiver Receiver { get; }

    public MosquittoBroker Mosquitto => _mosquitto ?? throw new InvalidOperationException("This fixture runs on the embedded broker.");

    public FaultProxy Proxy => _proxy ?? throw new InvalidOperationException("This fixture has no fault proxy.");

    public static async Task<UplinkFixture> StartAsync(int chunkBytes = 64 * 1024, long maxBytesPerSecond = 0)
    {
        var broker = await EmbeddedBroker.StartAsync(0);
        return new UplinkFixture(broker, null, null, broker.Port, new TempDirectory(), new UplinkOptions { ChunkBytes = chunkBytes, MaxBytesPerSecond = maxBytesPerSecond }, null);
    }

    /// <summary>On a broker the test made (e.g. one that stalls at a chunk); the fixture disposes it.</summary>
    public static UplinkFixture StartOn(IAsyncDisposable broker, int port, UplinkOptions options) =>
        new(null, null, broker, port, new TempDirectory(), options, null);

    public static async Task<UplinkFixture> StartOnMosquittoAsync(MosquittoOptions? mosquitto = null, UplinkOptions? options = null, string? sharedGroup = null)
    {
        var broker = await MosquittoBroker.StartAsync(mosquitto, TestContext.Current.CancellationToken);
        options ??= new UplinkOptions { ChunkBytes = 64 * 1024 };
        options.Port = broker.Port;
        return new UplinkFixture(null, broker, null, broker.Port, new TempDirectory(), options, sharedGroup);
    }

    /// <summary>mosquitto, with the device connected through a <see cref="FaultProxy"/> and the receiver directly.</summary>
    public static async Task<UplinkFixture> StartOnMosquittoBehindProxyAsync(UplinkOptions options)
    {
        var broker = await MosquittoBroker.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var proxy = new FaultProxy(broker.Port);
        options.Port = proxy.Port;
        return new UplinkFixture(null, broker, null, broker.Port, new TempDirectory(), options, null, proxy);
    }

    /// <summary>
    /// Returns once the embedded broker has closed <paramref name="clientId"/>'s connection; a clean
    /// DISCONNECT is handled on the broker's tasks after the client returns. MQTTnet's broker can
    /// lose a queued QoS 1 message when a session resumes while its old connection still runs.
    /// Mosquitto handles a client in its event loop and resends unacknowledged messages on resume.
    /// </summary>
    public async Task WaitUntilBrokerClosedAsync(string clientId)
    {
        if (_embedded is { } broker)
        {
            await Waits.WaitUntilAsync(async () => !await broker.HasConnectionAsync(clientId), $"the broker closed {clientId}'s connection");
        }
    }

    /// <summary>
    /// As if the agent was killed: its connection is left as it is (the broker sees a takeover, not a
    /// clean disconnect) and a new catalog, store, connection and uploader open the same files.
    /// </summary>
    /// <param name="options">The restarted agent's settings (e.g. another chunk size); the same as before when null.</param>
    public void RestartDevice(UplinkOptions? options = null)
    {
        Options = options ?? Options;
        _crashed.Add(Connection);
        Catalog.Dispose();
        Catalog = new LiteDbClipCatalog(Dir.Combine("catalog.db"));
        Store = new ClipFileStore(Dir.Combine("clips"), new RawFramesClipWriter(), Catalog, TimeProvider.System);
        Connection = new DeviceConnection(Options, DeviceEndpoint, Topics);
        Uploader = new MqttClipUploader(Connection, Catalog, Store);
    }

    public async ValueTask DisposeAsync()
    {
        await Uploader.DisposeAsync();
        foreach (var crashed in _crashed)
        {
            await crashed.DisposeAsync();
        }

        await Receiver.DisposeAsync();
        Catalog.Dispose();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }

        if (_mosquitto is not null)
        {
            await _mosquitto.DisposeAsync();
        }

        if (_otherBroker is not null)
        {
            await _otherBroker.DisposeAsync();
        }

        Dir.Dispose();
    }
}
