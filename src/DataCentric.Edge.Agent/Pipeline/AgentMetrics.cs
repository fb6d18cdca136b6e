using System.Collections.Concurrent;

namespace DataCentric.Edge.Agent.Pipeline;

/// <summary>Counters every stage updates; read by the status report and the demo summary.</summary>
public sealed class AgentMetrics
{
    private readonly ConcurrentDictionary<string, long> _droppedFrames = new(StringComparer.Ordinal);
    private long _framesCaptured;
    private long _framesInferred;
    private long _corruptFrames;
    private long _triggerEvents;
    private long _clipsStored;
    private long _clipsUploaded;
    private long _clipFailures;
    private long _firstInferredTimestamp;
    private long _triggerLagTicks = -1;
    private readonly TaskCompletionSource _firstInferred = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long FramesCaptured => Interlocked.Read(ref _framesCaptured);

    public long FramesInferred => Interlocked.Read(ref _framesInferred);

    public long CorruptFrames => Interlocked.Read(ref _corruptFrames);

    public long TriggerEvents => Interlocked.Read(ref _triggerEvents);

    public long ClipsStored => Interlocked.Read(ref _clipsStored);

    public long ClipsUploaded => Interlocked.Read(ref _clipsUploaded);

    public long ClipFailures => Interlocked.Read(ref _clipFailures);

    public IReadOnlyDictionary<string, long> DroppedFrames => _droppedFrames;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the first inferred frame; 0 until then.</summary>
    public long FirstInferredTimestamp => Interlocked.Read(ref _firstInferredTimestamp);

    /// <summary>Completes when the first frame has gone through the shadow model: start-up is over.</summary>
    public Task FirstFrameInferred => _firstInferred.Task;

    /// <summary>How far the last trigger evaluation was behind its tick (the model outputs' frame age); null before the first.</summary>
    public TimeSpan? TriggerLag => Interlocked.Read(ref _triggerLagTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    public void RecordTriggerLag(TimeSpan lag) => Interlocked.Exchange(ref _triggerLagTicks, Math.Max(0, lag.Ticks));

    public void CountCapturedFrame() => Interlocked.Increment(ref _framesCaptured);

    public void CountInferredFrame()
    {
        if (Interlocked.Increment(ref _framesInferred) == 1)
        {
            Interlocked.Exchange(ref _firstInferredTimestamp, System.Diagnostics.Stopwatch.GetTimestamp());
            _firstInferred.TrySetResult();
        }
    }

    public void CountCorruptFrame() => Interlocked.Increment(ref _corruptFrames);

    public void CountTriggerEvent() => Interlocked.Increment(ref _triggerEvents);

    public void CountStoredClip() => Interlocked.Increment(ref _clipsStored);

    public void CountUploadedClip() => Interlocked.Increment(ref _clipsUploaded);

    public void CountClipFailure() => Interlocked.Increment(ref _clipFailures);

    public void CountDroppedFrame(string stage) => _droppedFrames.AddOrUpdate(stage, 1, (_, n) => n + 1);
}
