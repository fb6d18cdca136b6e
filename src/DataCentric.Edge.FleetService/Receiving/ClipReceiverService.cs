using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog.Staging;
using DataCentric.Edge.FleetService.Messaging;
using DataCentric.Edge.FleetService.ObjectStore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.FleetService.Receiving;

/// <summary>
/// A stateless clip receiver: takes its share of every device's manifests and chunks through
/// <c>$share/{group}/</c> subscriptions, stages each durably before acknowledging it
/// (<see cref="ClipStager"/>), assembles whole clips into the object store (<see cref="ClipAssembler"/>),
/// and sweeps staging for clips whose last piece reached another instance or whose assembler died.
/// Any number of instances may run against one broker, catalog and object store.
/// </summary>
public sealed partial class ClipReceiverService : BackgroundService
{
    private readonly IClipStaging _staging;
    private readonly ReceiverOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClipReceiverService> _logger;
    private readonly DurableSubscriber _subscriber;
    private readonly ClipAssembler _assembler;
    private readonly Channel<StagedClip> _ready;
    private readonly ConcurrentDictionary<StagedClip, byte> _queued = new();

    public ClipReceiverService(IClipStaging staging, IClipObjectStore store, ReceiverOptions options, string keyPrefix, TimeProvider time, ILogger<ClipReceiverService> logger)
    {
        ArgumentNullException.ThrowIfNull(staging);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _staging = staging;
        _options = options;
        _time = time;
        _logger = logger;
        _ready = Channel.CreateBounded<StagedClip>(new BoundedChannelOptions(options.AssemblyQueueLength) { FullMode = BoundedChannelFullMode.Wait });
        var stager = new ClipStager(staging, options, keyPrefix, Offer, AckAsync, Counters, time, logger);
        _assembler = new ClipAssembler(staging, store, options, keyPrefix, AckAsync, Counters, time, logger);
        _subscriber = new DurableSubscriber(
            new DurableSubscriberSettings("Clip receiver", options.ClientId, Filters, options.Broker, options.CheckInterval, options.ReceiveMaximum, options.ConcurrentStaging),
            stager.HandleAsync,
            time,
            logger);
    }

    public ReceiverCounters Counters { get; } = new();

    public bool IsConnected => _subscriber.IsConnected;

    /// <summary>Completes when the broker first granted the receiver's subscriptions (for readiness checks and tests).</summary>
    public Task Subscribed => _subscriber.Subscribed;

    /// <summary>Every device's manifests and chunks, shared between the instances of the group.</summary>
    public IReadOnlyList<string> Filters =>
    [
        $"$share/{_options.SharedGroup}/{FleetTopics.AllClipManifests}",
        $"$share/{_options.SharedGroup}/{FleetTopics.AllClipChunks}",
    ];

    public override void Dispose()
    {
        _subscriber.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, _options.AssemblyConcurrency).Select(_ => AssembleQueuedAsync(stoppingToken)).ToList();
        await Task.WhenAll([_subscriber.RunAsync(stoppingToken), SweepAsync(stoppingToken), .. workers]).ConfigureAwait(false);
    }

    private async Task AssembleQueuedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var clip in _ready.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                // Out of the set before the claim: a piece staged from now on queues the clip again.
                _queued.TryRemove(clip, out _);
                await _assembler.AssembleAsync(clip, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is queued stays staged for the next start or another instance.
        }
    }

    /// <summary>
    /// Assembles what is whole in staging but was not offered here (its last piece reached another
    /// instance that failed, or the queue was full, or a lease expired) and removes abandoned uploads.
    /// </summary>
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.SweepInterval, _time, stoppingToken).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                foreach (var clip in await _staging.ListReadyAsync(now, _options.AssemblyQueueLength, stoppingToken).ConfigureAwait(false))
                {
                    Offer(clip);
                }

                foreach (var abandoned in await _staging.RemoveAbandonedAsync(now - _options.AbandonAfter, now, stoppingToken).ConfigureAwait(false))
                {
                    LogAbandoned(_logger, abandoned.ToString(), _options.AbandonAfter);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                LogSweepFailed(_logger, _options.SweepInterval, error.GetBaseException().Message);
            }
        }
    }

    /// <summary>Queues a clip that may now be whole, once however many of its pieces offer it; false when the queue is full (the sweep finds it).</summary>
    private bool Offer(StagedClip clip)
    {
        if (!_queued.TryAdd(clip, 0))
        {
            return true;
        }

        // FullMode.Wait: TryWrite says false when the queue is full (DropWrite would say true and drop
        // the clip while it stayed in _queued, so nothing would queue it again).
        if (_ready.Writer.TryWrite(clip))
        {
            return true;
        }

        _queued.TryRemove(clip, out _);
        return false;
    }

    private async Task AckAsync(string fleet, string device, ClipAck ack)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(new FleetTopics(fleet, device).ClipAck(ack.ClipId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(ack, UplinkJson.TypeInfo<ClipAck>()))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            await _subscriber.PublishAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // The clip is stored and catalogued: the device sends its manifest again and is answered "already held".
            Counters.AddAckFailure();
            LogAckFailed(_logger, ack.ClipId, fleet, device, error.GetBaseException().Message);
        }
    }

    [LoggerMessage(EventId = 5506, Level = LogLevel.Information, Message = "Removed staged clip {Clip}: nothing arrived for {AbandonAfter}")]
    private static partial void LogAbandoned(ILogger logger, string clip, TimeSpan abandonAfter);

    [LoggerMessage(EventId = 5507, Level = LogLevel.Warning, Message = "Staging sweep failed ({Reason}); next in {Interval}")]
    private static partial void LogSweepFailed(ILogger logger, TimeSpan interval, string reason);

    [LoggerMessage(EventId = 5508, Level = LogLevel.Warning, Message = "Could not publish the ack of clip {ClipId} to {Fleet}/{Device} ({Reason}); the device's resend will be answered")]
    private static partial void LogAckFailed(ILogger logger, string clipId, string fleet, string device, string reason);
}
