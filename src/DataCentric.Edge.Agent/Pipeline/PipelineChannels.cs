using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using Microsoft.Extensions.Options;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Agent.Pipeline;

/// <summary>
/// The bounded channels joining the stages. Frames drop the oldest when a consumer is behind
/// (counted in <see cref="AgentMetrics"/>); trigger events and clips are never dropped: their
/// producers wait.
/// </summary>
public sealed class PipelineChannels
{
    public PipelineChannels(IOptions<PipelineOptions> options, AgentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        var o = options.Value;
        InferenceFrames = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(o.InferenceFanOutQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => metrics.CountDroppedFrame("inference"));
        RecorderFrames = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(o.RecorderFrameQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => metrics.CountDroppedFrame("recorder"));
        TriggerEvents = Channel.CreateBounded<TriggerEvent>(
            new BoundedChannelOptions(o.TriggerEventQueue) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        Clips = Channel.CreateBounded<ClipContent>(
            new BoundedChannelOptions(o.ClipQueue) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        StoredClips = Channel.CreateBounded<StoredClip>(
            new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    }

    /// <summary>Frames for the shadow models' fan-out (each model then has its own queue); never delays the camera.</summary>
    public Channel<Frame> InferenceFrames { get; }

    public Channel<Frame> RecorderFrames { get; }

    public Channel<TriggerEvent> TriggerEvents { get; }

    public Channel<ClipContent> Clips { get; }

    /// <summary>Wakes the uploader; dropping a wake-up loses nothing because the outbox is the catalog.</summary>
    public Channel<StoredClip> StoredClips { get; }
}
