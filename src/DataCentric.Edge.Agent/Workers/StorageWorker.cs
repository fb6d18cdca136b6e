using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Uplink.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>Writes finished clips durably and catalogues them, then wakes the uploader.</summary>
internal sealed partial class StorageWorker(ClipFileStore store, PipelineChannels channels, PipelineEvents events, AgentMetrics metrics, ILogger<StorageWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var clip in channels.Clips.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var stored = store.Save(clip);
                metrics.CountStoredClip();
                LogStored(stored.ClipId, string.Join(",", stored.TriggerIds), stored.FrameCount, stored.SizeBytes);
                events.OnClipStored(stored);
                channels.StoredClips.Writer.TryWrite(stored);
            }
            catch (IOException e)
            {
                // Disk full or gone: this clip is abandoned (its temp file removed), the agent goes on.
                metrics.CountClipFailure();
                LogFailed(clip.ClipId, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Clip {ClipId} stored: triggers {TriggerIds}, {Frames} frames, {Bytes} bytes")]
    private partial void LogStored(string clipId, string triggerIds, int frames, long bytes);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Clip {ClipId} could not be stored: {Reason}")]
    private partial void LogFailed(string clipId, string reason);
}
