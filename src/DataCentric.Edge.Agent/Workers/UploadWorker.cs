using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Runs the uplink loop (<see cref="UploadLoop"/>), wakes it whenever the storage stage has stored a
/// clip, and forwards trigger events to the fleet as they fire (<see cref="DeviceEvents"/>).
/// </summary>
internal sealed partial class UploadWorker(
    UploadLoop loop,
    MqttClipUploader uploader,
    DeviceEvents deviceEvents,
    PipelineChannels channels,
    PipelineEvents events,
    AgentMetrics metrics,
    TimeProvider timeProvider,
    ILogger<UploadWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        uploader.Acknowledged += OnAcknowledged;
        loop.Sent += _ => metrics.CountUploadedClip();
        events.TriggerFired += OnTriggerFired;
        try
        {
            await Task.WhenAll(
                loop.RunAsync(stoppingToken),
                WakeOnStoredClipsAsync(stoppingToken),
                deviceEvents.RunAsync(TimeSpan.FromSeconds(1), timeProvider, stoppingToken)).ConfigureAwait(false);
        }
        finally
        {
            events.TriggerFired -= OnTriggerFired;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await uploader.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WakeOnStoredClipsAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await channels.StoredClips.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (channels.StoredClips.Reader.TryRead(out _))
                {
                }

                loop.Wake();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private void OnTriggerFired(TriggerEvent e) =>
        deviceEvents.Post(new EventSummary(e.EventId, [.. e.Triggers.Select(t => t.TriggerId)], e.WallClock, e.Priority, e.DryRun, e.TriggerSetVersion, null));

    private void OnAcknowledged(string clipId)
    {
        LogAcknowledged(clipId);
        events.OnClipAcknowledged(clipId);
    }

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Clip {ClipId} acknowledged by the receiver")]
    private partial void LogAcknowledged(string clipId);
}
