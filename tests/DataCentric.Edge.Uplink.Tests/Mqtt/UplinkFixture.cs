using DataCentric.Edge.Core.Upload;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.LiteDb;
using DataCentric.Edge.Uplink.Mqtt;
using DataCentric.Edge.Uplink.Storage;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Uplink.Tests.Mqtt;

/// <summary>A real embedded broker, a real catalog and store, an uploader and a receiver, in temp directories.</summary>
internal sealed class UplinkFixture : IAsyncDisposable
{
    private UplinkFixture(EmbeddedBroker broker, TempDirectory dir, UplinkOptions options)
    {
        Broker = broker;
        Dir = dir;
        Options = options;
        Endpoint = new BrokerEndpoint("127.0.0.1", broker.Port);
        Topics = new FleetTopics("fleet1", "dev1");
        Catalog = new LiteDbClipCatalog(dir.Combine("catalog.db"));
        Store = new ClipFileStore(dir.Combine("clips"), new RawFramesClipWriter(), Catalog, TimeProvider.System);
        Uploader = new MqttClipUploader(options, Endpoint, Topics, Catalog, Store);
        Receiver = new ClipReceiver(new ReceiverOptions { OutputDirectory = dir.Combine("received") }, options, Endpoint);
    }

    public EmbeddedBroker Broker { get; }

    public TempDirectory Dir { get; }

    public UplinkOptions Options { get; }

    public BrokerEndpoint Endpoint { get; }

    public FleetTopics Topics { get; }

    public LiteDbClipCatalog Catalog { get; }

    public ClipFileStore Store { get; }

    public MqttClipUploader Uploader { get; }

    public ClipReceiver Receiver { get; }

    public static async Task<UplinkFixture> StartAsync(int chunkBytes = 64 * 1024)
    {
        var broker = await EmbeddedBroker.StartAsync(0);
        return new UplinkFixture(broker, new TempDirectory(), new UplinkOptions { ChunkBytes = chunkBytes });
    }

    public async ValueTask DisposeAsync()
    {
        await Uploader.DisposeAsync();
        await Receiver.DisposeAsync();
        Catalog.Dispose();
        await Broker.DisposeAsync();
        Dir.Dispose();
    }
}
