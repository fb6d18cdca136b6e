using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using Npgsql;

namespace DataCentric.Edge.FleetService.Tests.Tracking;

/// <summary>
/// The real catalog, reporting each finished write (so tests await writes instead of polling); while
/// <see cref="Down"/>, writes go to a PostgreSQL catalog on a closed port and fail as a real outage does.
/// </summary>
internal sealed class GatedIngest : IFleetIngest, IAsyncDisposable
{
    private readonly IFleetIngest _catalog;
    private readonly NpgsqlDataSource _closed = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Timeout=1");
    private readonly IFleetIngest _down;

    public GatedIngest(IFleetIngest catalog)
    {
        _catalog = catalog;
        _down = new PostgresFleetCatalog(_closed);
    }

    private volatile bool _isDown;
    private int _eventWrites;

    public bool Down
    {
        get => _isDown;
        set => _isDown = value;
    }

    /// <summary>One entry per write: what it was, and whether it returned (false: it threw).</summary>
    public Channel<(string What, bool Ok)> Writes { get; } = Channel.CreateUnbounded<(string, bool)>();

    /// <summary>Event writes tried, failed ones included.</summary>
    public int EventWrites => Volatile.Read(ref _eventWrites);

    public Task<bool> RecordStatusAsync(DeviceStatus status, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Report($"status {status.Device}", c => c.RecordStatusAsync(status, receivedAt, cancellationToken));

    public Task<CatalogWrite> AddEventAsync(string fleet, string device, EventSummary summary, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _eventWrites);
        return Report($"event {summary.EventId}", c => c.AddEventAsync(fleet, device, summary, receivedAt, cancellationToken));
    }

    public Task<CatalogWrite> AddClipAsync(CatalogClip clip, CancellationToken cancellationToken) => _catalog.AddClipAsync(clip, cancellationToken);

    public Task<CatalogWrite> RecordTriggerCountersAsync(TriggerCountersReport report, CancellationToken cancellationToken) =>
        Report($"counters {report.Device}", c => c.RecordTriggerCountersAsync(report, cancellationToken));

    public Task<bool> RecordTriggerSetAckAsync(TriggerSetAck ack, CancellationToken cancellationToken) =>
        Report($"ack {ack.Device}", c => c.RecordTriggerSetAckAsync(ack, cancellationToken));

    public Task<bool> RecordModelReleaseAckAsync(ModelReleaseAck ack, CancellationToken cancellationToken) =>
        Report($"model {ack.Device} {ack.Name} v{ack.Version}", c => c.RecordModelReleaseAckAsync(ack, cancellationToken));

    /// <summary>The next <paramref name="count"/> writes, within 10 s.</summary>
    public async Task<List<(string What, bool Ok)>> NextAsync(int count)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        var writes = new List<(string, bool)>();
        while (writes.Count < count)
        {
            writes.Add(await Writes.Reader.ReadAsync(deadline.Token));
        }

        return writes;
    }

    /// <summary>
    /// A tracker counter once it reaches <paramref name="expected"/> (or after 10 s, whatever it is then):
    /// the tracker counts a write just after the ingest returns, and <see cref="Writes"/> reports the write
    /// from inside the ingest, so a counter read right after <see cref="NextAsync"/> may trail by a moment.
    /// </summary>
    public static async Task<long> CounterAsync(Func<long> counter, long expected)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (counter() < expected && !deadline.IsCancellationRequested)
        {
            await Task.Delay(10, CancellationToken.None);
        }

        return counter();
    }

    public ValueTask DisposeAsync() => _closed.DisposeAsync();

    private async Task<T> Report<T>(string what, Func<IFleetIngest, Task<T>> write)
    {
        try
        {
            var result = await write(Down ? _down : _catalog);
            Writes.Writer.TryWrite((what, true));
            return result;
        }
        catch
        {
            Writes.Writer.TryWrite((what, false));
            throw;
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
