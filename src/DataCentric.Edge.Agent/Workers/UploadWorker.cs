using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Uplink.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Exceptions;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// The uplink loop: (re)connects with backoff, then drains the catalog's outbox in priority order.
/// The outbox is the catalog, so a wake-up lost or a restart loses nothing.
/// </summary>
internal sealed partial class UploadWorker(
    MqttClipUploader uploader,
    IClipCatalog catalog,
    PipelineChannels channels,
    PipelineEvents events,
    AgentMetrics metrics,
    IOptions<UplinkOptions> options,
    TimeProvider timeProvider,
    ILogger<UploadWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdleRecheck = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        uploader.Acknowledged += OnAcknowledged;
        var delay = options.Value.ReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await uploader.EnsureConnectedAsync(stoppingToken).ConfigureAwait(false))
                {
                    throw new MqttCommunicationException("connection refused by the broker");
                }

                delay = options.Value.ReconnectDelay;
                var pending = catalog.PendingUploads(16);
                foreach (var clip in pending)
                {
                    await UploadOneAsync(clip, stoppingToken).ConfigureAwait(false);
                }

                if (pending.Count == 0)
                {
                    await WaitForWorkAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MqttCommunicationException or TimeoutException or OperationCanceledException or UploadRejectedException)
            {
                LogUplinkDown(e.Message, delay);
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxReconnectDelay.Ticks));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await uploader.DisposeAsync().ConfigureAwait(false);
    }

    private async Task UploadOneAsync(StoredClip clip, CancellationToken stoppingToken)
    {
        try
        {
            await uploader.UploadAsync(clip, stoppingToken).ConfigureAwait(false);
            metrics.CountUploadedClip();
            LogSent(clip.ClipId, clip.Priority, clip.SizeBytes);
        }
        catch (FileNotFoundException)
        {
            catalog.UpdateUpload(clip.ClipId, UploadState.FileMissing, clip.ChunksSent);
            LogMissing(clip.ClipId);
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(IdleRecheck);
        try
        {
            await channels.StoredClips.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Periodic re-check: picks up clips sent back to Pending by a receiver's hash-mismatch ack.
        }

        while (channels.StoredClips.Reader.TryRead(out _))
        {
        }
    }

    private void OnAcknowledged(string clipId)
    {
        LogAcknowledged(clipId);
        events.OnClipAcknowledged(clipId);
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Uplink unavailable ({Reason}); retrying in {Delay}")]
    private partial void LogUplinkDown(string reason, TimeSpan delay);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Clip {ClipId} sent (priority {Priority}, {Bytes} bytes)")]
    private partial void LogSent(string clipId, int priority, long bytes);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "Clip {ClipId} is catalogued but its file is missing; marked FileMissing")]
    private partial void LogMissing(string clipId);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Clip {ClipId} acknowledged by the receiver")]
    private partial void LogAcknowledged(string clipId);
}
