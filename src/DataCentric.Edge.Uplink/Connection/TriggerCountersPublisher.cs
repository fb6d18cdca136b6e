using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Uplink.Connection;

/// <summary>
/// Publishes the trigger engine's counters on <c>{device}/triggers/counters</c> (QoS 1, not retained)
/// every <see cref="Interval"/>. The counts are cumulative, so nothing queues while the link is down:
/// a tick that finds no connection (or whose publish fails) is skipped, and the next report carries
/// everything. The engine is the one source of these figures; the metrics endpoint reads it too.
/// </summary>
public sealed partial class TriggerCountersPublisher
{
    private readonly DeviceConnection _connection;
    private readonly TriggerEngine _engine;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private long _published;
    private long _skipped;

    public TriggerCountersPublisher(DeviceConnection connection, TriggerEngine engine, TimeSpan interval, TimeProvider timeProvider, ILogger<TriggerCountersPublisher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _connection = connection;
        _engine = engine;
        Interval = interval;
        _timeProvider = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public TimeSpan Interval { get; }

    /// <summary>Reports the broker accepted.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Ticks that sent nothing: the link was down or the publish failed (the next report carries the counts).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>The report as it would be sent now.</summary>
    public TriggerCountersReport Read()
    {
        var snapshot = _engine.ReadCounters();
        return new TriggerCountersReport(
            _connection.Topics.Fleet,
            _connection.Topics.Device,
            _timeProvider.GetUtcNow(),
            snapshot.CountingSince,
            snapshot.TriggerSetVersion,
            Interval.TotalSeconds,
            [.. snapshot.Triggers.Select(c => new TriggerCountersEntry(
                c.TriggerId, c.Evaluations, c.Fires, c.DryRunFires, c.SuppressedCooldown, c.SuppressedBudget,
                c.SuppressedSampling, c.SuppressedDuplicate, c.MissingSignal, c.DisabledReason))]);
    }

    /// <summary>Publishes the report now; throws <see cref="UploadRejectedException"/> when the broker refuses it.</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        await _connection.PublishJsonAsync(_connection.Topics.TriggerCounters, Read(), retain: false, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _published);
    }

    /// <summary>
    /// Publishes every <see cref="Interval"/> of the time provider until cancelled. The timer starts
    /// before this returns its task, so time advanced after the call counts.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!_connection.IsConnected)
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }

                try
                {
                    await PublishAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or UploadRejectedException)
                {
                    Interlocked.Increment(ref _skipped);
                    LogSkipped(e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Trigger counters not published ({Reason}); the next report carries them")]
    private partial void LogSkipped(string reason);
}
