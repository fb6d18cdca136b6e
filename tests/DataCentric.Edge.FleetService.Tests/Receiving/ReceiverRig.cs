using Amazon.S3;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.ObjectStore.S3;
using DataCentric.Edge.FleetService.Receiving;
using DataCentric.Edge.FleetService.Tests.Catalog;
using DataCentric.Edge.FleetService.Tests.ObjectStore;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataCentric.Edge.FleetService.Tests.Receiving;

/// <summary>
/// The parts one receiver test needs, all real: a mosquitto of its own, a migrated PostgreSQL
/// database, the class's s3rver bucket under a key prefix of its own, and in-process receivers.
/// </summary>
internal sealed class ReceiverRig : IAsyncDisposable
{
    private readonly List<ClipReceiverService> _receivers = [];
    private readonly List<ContractDevice> _devices = [];
    private readonly AmazonS3Client _s3;

    private ReceiverRig(MosquittoBroker broker, NpgsqlDataSource dataSource, S3rverFixture s3rver)
    {
        Broker = broker;
        DataSource = dataSource;
        Catalog = new PostgresFleetCatalog(dataSource);
        S3 = s3rver;
        _s3 = S3ClientFactory.Create(s3rver.Options(S3Options.MinPartBytes));
        Store = new S3ClipObjectStore(_s3, s3rver.Options(S3Options.MinPartBytes), TimeProvider.System, NullLogger<S3ClipObjectStore>.Instance);
    }

    public MosquittoBroker Broker { get; }

    public NpgsqlDataSource DataSource { get; }

    public PostgresFleetCatalog Catalog { get; }

    public S3rverFixture S3 { get; }

    public IClipObjectStore Store { get; }

    public string KeyPrefix { get; } = $"t{Guid.NewGuid():N}/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ReceiverRig> StartAsync(PostgresServerFixture postgres, S3rverFixture s3rver) =>
        new(await MosquittoBroker.StartAsync(cancellationToken: Ct), await postgres.CreateMigratedDatabaseAsync(), s3rver);

    public ReceiverOptions Options(string clientId) => new()
    {
        ClientId = clientId,
        SharedGroup = "rcv",
        CheckInterval = TimeSpan.FromMilliseconds(50),
        SweepInterval = TimeSpan.FromMilliseconds(200),
        LeaseDuration = TimeSpan.FromSeconds(30),
        MaxChunkBytes = 256 * 1024,
        Broker = new UplinkOptions { Port = Broker.Port, ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromSeconds(1) },
    };

    public async Task<ClipReceiverService> StartReceiverAsync(string clientId, Action<ReceiverOptions>? configure = null)
    {
        var options = Options(clientId);
        configure?.Invoke(options);
        var receiver = new ClipReceiverService(Catalog, Store, options, KeyPrefix, TimeProvider.System, NullLogger<ClipReceiverService>.Instance);
        _receivers.Add(receiver);
        await receiver.StartAsync(Ct);
        await receiver.Subscribed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return receiver;
    }

    public async Task<ContractDevice> DeviceAsync(string device = "cam-1", CancellationToken? cancellationToken = null)
    {
        var connected = await ContractDevice.ConnectAsync(Broker.Port, "acme", device, cancellationToken ?? Ct);
        _devices.Add(connected);
        return connected;
    }

    public string KeyOf(StagedUploads upload) => ClipObjectKeys.For(KeyPrefix, upload.Manifest);

    /// <summary>The SHA-256 of the object stored for <paramref name="upload"/>, read back from s3rver; null when there is none.</summary>
    public async Task<string?> StoredSha256Async(StagedUploads upload, CancellationToken? cancellationToken = null)
    {
        var ct = cancellationToken ?? Ct;
        var content = await Store.OpenReadAsync(KeyOf(upload), range: null, ct);
        if (content is null)
        {
            return null;
        }

        await using (content)
        {
            return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(content.Content, ct));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var receiver in _receivers)
        {
            await receiver.StopAsync(CancellationToken.None);
            receiver.Dispose();
        }

        foreach (var device in _devices)
        {
            await device.DisposeAsync();
        }

        _s3.Dispose();
        await DataSource.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
