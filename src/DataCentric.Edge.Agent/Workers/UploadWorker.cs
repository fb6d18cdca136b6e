using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Uplink.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>Runs the uplink loop (<see cref="UploadLoop"/>) and wakes it whenever the storage stage has stored a clip.</summary>
internal sealed partial class UploadWorker(
    UploadLoop loop,
    MqttClipUploader uploader,
    PipelineChannels channels,
    PipelineEvents events,
    AgentMetrics metrics,
    ILogger<UploadWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        uploader.Acknowledged += OnAcknowledged;
        loop.Sent += _ => metrics.CountUploadedClip();
        await Task.WhenAll(loop.RunAsync(stoppingToken), WakeOnStoredClipsAsync(stoppingToken)).ConfigureAwait(false);
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

    private void OnAcknowledged(string clipId)
    {
        LogAcknowledged(clipId);
        events.OnClipAcknowledged(clipId);
    }

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Clip {ClipId} acknowledged by the receiver")]
    private partial void LogAcknowledged(string clipId);
}
