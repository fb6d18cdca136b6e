using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Agent.Pipeline;

/// <summary>Capacities of the channels between stages and the trigger tick: everything is bounded.</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Frames waiting to be handed to the models' own queues; beyond this the oldest is dropped (counted).</summary>
    [Range(1, 256)]
    public int InferenceFanOutQueue { get; set; } = 4;

    /// <summary>Frames waiting for the recorder; beyond this the oldest is dropped (counted).</summary>
    [Range(1, 4096)]
    public int RecorderFrameQueue { get; set; } = 64;

    /// <summary>Signal updates waiting for the recorder; beyond this the oldest is dropped (counted).</summary>
    [Range(16, 1_000_000)]
    public int RecorderSignalQueue { get; set; } = 8192;

    /// <summary>Trigger events waiting for the recorder. Never dropped: the trigger stage waits.</summary>
    [Range(1, 4096)]
    public int TriggerEventQueue { get; set; } = 64;

    /// <summary>Clips waiting to be written. Never dropped: the recorder waits.</summary>
    [Range(1, 256)]
    public int ClipQueue { get; set; } = 8;

    /// <summary>How often the trigger engine evaluates the set.</summary>
    public TimeSpan TriggerTick { get; set; } = TimeSpan.FromMilliseconds(50);
}
