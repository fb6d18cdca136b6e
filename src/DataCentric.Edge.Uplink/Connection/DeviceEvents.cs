using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Connection;

/// <summary>
/// Tells the fleet about trigger events as they happen, on <c>{device}/events</c>. Best effort by
/// design: the catalog holds every event (listEvents answers from it), so while the link is down
/// at most <see cref="Capacity"/> notices wait here and older ones are dropped and counted.
/// </summary>
public sealed class DeviceEvents
{
    public const int Capacity = 256;
    private readonly DeviceConnection _connection;
    private readonly Channel<EventSummary> _pending = Channel.CreateBounded<EventSummary>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private long _dropped;

    public DeviceEvents(DeviceConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
    }

    /// <summary>Notices dropped because the link was down and the queue full (the catalog still has them).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues a notice; never blocks the trigger path.</summary>
    public void Post(EventSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (_pending.Reader.Count >= Capacity)
        {
            Interlocked.Increment(ref _dropped);
        }

        _pending.Writer.TryWrite(summary);
    }

    /// <summary>Publishes queued notices while connected; waits for the connection otherwise.</summary>
    public async Task RunAsync(TimeSpan retry, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!_connection.IsConnected || !_pending.Reader.TryPeek(out var next))
                {
                    await Task.Delay(retry, timeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await _connection.PublishJsonAsync(_connection.Topics.Events, next, retain: false, cancellationToken).ConfigureAwait(false);
                    _pending.Reader.TryRead(out _);
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or UploadRejectedException)
                {
                    await Task.Delay(retry, timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
