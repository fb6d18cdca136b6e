using System.Security.Cryptography;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Writes finished clips durably and catalogues them, then wakes the uploader; on its own timers
/// checkpoints the catalog (bounding its log) and runs retention and the hash scrub. A clip that
/// cannot be stored is abandoned and counted; the worker carries on.
/// </summary>
internal sealed partial class StorageWorker(
    ClipBuffer buffer,
    IClipCatalog catalog,
    ActiveTriggerSet activeSet,
    IOptions<AgentOptions> agentOptions,
    PipelineChannels channels,
    PipelineEvents events,
    AgentMetrics metrics,
    IOptions<StorageOptions> options,
    TimeProvider timeProvider,
    ILogger<StorageWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RecordActiveTriggerSet();
        return Task.WhenAll(StoreClipsAsync(stoppingToken), CheckpointAsync(stoppingToken), MaintainAsync(stoppingToken));
    }

    private async Task StoreClipsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var clip in channels.Clips.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Store(clip);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The recorder stopped first and handed over what it had: store that too.
            while (channels.Clips.Reader.TryRead(out var clip))
            {
                Store(clip);
            }
        }
    }

    /// <summary>The config history gets an entry whenever the agent starts with a configured trigger set it has not run before.</summary>
    private void RecordActiveTriggerSet()
    {
        var configured = activeSet.Initial;
        var path = Path.GetFullPath(agentOptions.Value.TriggerSetPath, AppContext.BaseDirectory);
        try
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            var last = catalog.ConfigHistory(ActiveTriggerSet.ConfigKind, 1);
            if (last.Count == 0 || last[0].Version != configured.Version || last[0].Sha256 != sha)
            {
                catalog.AddConfigChange(new ConfigChange(ActiveTriggerSet.ConfigKind, configured.Version, sha, timeProvider.GetUtcNow(), path, configured.Description));
            }
        }
        catch (IOException e)
        {
            LogMaintenanceFailed("config history", e.Message);
        }
    }

    private void Store(ClipContent clip)
    {
        StoreOutcome outcome;
        try
        {
            outcome = buffer.Store(clip);
        }
        finally
        {
            // The file holds the frames now (or the clip is abandoned): their slabs go back to the recorder.
            clip.FrameMemory?.Dispose();
        }

        if (outcome.Stored is { } stored)
        {
            metrics.CountStoredClip();
            LogStored(stored.ClipId, string.Join(",", stored.TriggerIds), stored.FrameCount, stored.SizeBytes);
            events.OnClipStored(stored);
            channels.StoredClips.Writer.TryWrite(stored);
        }
        else
        {
            metrics.CountClipFailure();
            LogFailed(clip.ClipId, outcome.AbandonedBecause ?? "unknown");
        }
    }

    private async Task CheckpointAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, timeProvider);
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false))
        {
            try
            {
                catalog.Checkpoint();
            }
            catch (IOException e)
            {
                LogMaintenanceFailed("checkpoint", e.Message);
            }
        }
    }

    private async Task MaintainAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MaintenanceInterval, timeProvider);
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false))
        {
            try
            {
                buffer.Maintain();
            }
            catch (IOException e)
            {
                LogMaintenanceFailed("retention and scrub", e.Message);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Clip {ClipId} stored: triggers {TriggerIds}, {Frames} frames, {Bytes} bytes")]
    private partial void LogStored(string clipId, string triggerIds, int frames, long bytes);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Clip {ClipId} could not be stored: {Reason}")]
    private partial void LogFailed(string clipId, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Catalog {Task} failed, retried next period: {Reason}")]
    private partial void LogMaintenanceFailed(string task, string reason);
}
