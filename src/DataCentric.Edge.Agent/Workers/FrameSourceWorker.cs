using DataCentric.Edge.Agent.Drives;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>Reads the camera and fans each frame out to the shadow model, the recorder and a drive recording, never waiting on any.</summary>
internal sealed partial class FrameSourceWorker(
    IFrameSource source, PipelineChannels channels, DriveFrameTap drives, AgentMetrics metrics, ILogger<FrameSourceWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(source.Name);
        await foreach (var frame in source.ReadFramesAsync(stoppingToken).ConfigureAwait(false))
        {
            metrics.CountCapturedFrame();
            channels.InferenceFrames.Writer.TryWrite(frame);
            channels.RecorderFrames.Writer.TryWrite(frame);
            drives.Offer(frame);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Frame source {Source} started")]
    private partial void LogStarted(string source);
}
