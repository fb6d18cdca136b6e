using System.Diagnostics;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Inference;

/// <summary>What happened to one frame offered to a model, for the agent's counters.</summary>
public enum FrameOutcome
{
    Inferred,
    Corrupt,
    Dropped,
    Error,
}

/// <summary>
/// Feeds one running model: takes every Nth frame into its own bounded queue, which drops the
/// oldest frame when the model is behind (counted on the model's status), and publishes the
/// model's signals stamped with the frame's time. A corrupt frame is skipped and counted; a model
/// whose runs keep failing is stopped and its signals marked unavailable. A model release swapped
/// in (<see cref="ShadowModel.Swap"/>) runs from the next frame on; the queue is kept.
/// <para>
/// Decode ahead, on a GPU provider: while the model runs on one frame, the next is taken from the
/// queue, decoded and resized into the engine's other input slot, so the CPU's frame work overlaps
/// the GPU's run instead of adding to it. Bounded: one frame prepared ahead, no more; the rest wait
/// in the drop-oldest queue as before. On the CPU provider each frame is prepared and run in turn on
/// one thread: the model already uses the cores, and handing frames between two threads cost about
/// 1 ms of CPU per ResNet18 frame there for no gain in frames/s (tools/bench/Inference/README.md).
/// </para>
/// </summary>
public sealed partial class ShadowModelRunner
{
    /// <summary>Consecutive failed runs after which the model is taken out of service.</summary>
    public const int MaxConsecutiveErrors = 10;

    private readonly ShadowModel _model;
    private readonly SignalBus _bus;
    private readonly ILogger _logger;
    private readonly Action<FrameOutcome>? _observe;
    private readonly Channel<Frame> _queue;
    private long _offered;
    private int _consecutiveErrors;

    /// <param name="observe">Told of every frame's outcome (the agent's totals); called on the runner's thread or the offering one.</param>
    /// <param name="decodeAhead">Prepare the next frame while this one runs; by default only on a GPU provider.</param>
    public ShadowModelRunner(ShadowModel model, SignalBus bus, ILogger<ShadowModelRunner> logger, Action<FrameOutcome>? observe = null, bool? decodeAhead = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(logger);
        _model = model;
        var engine = model.Engine ?? throw new ArgumentException($"Model '{model.Options.Name}' is not loaded: {model.Status.Failure}", nameof(model));
        DecodesAhead = decodeAhead ?? engine.Provider != ModelExecutionProvider.Cpu;
        _bus = bus;
        _logger = logger;
        _observe = observe;
        _queue = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(model.Options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ =>
            {
                model.Status.CountDropped();
                _observe?.Invoke(FrameOutcome.Dropped);
            });
    }

    public ShadowModelStatus Status => _model.Status;

    /// <summary>Whether the next frame is prepared while this one runs (see the class summary).</summary>
    public bool DecodesAhead { get; }

    /// <summary>Queues the frame if it is this model's turn (every Nth frame). Never waits.</summary>
    /// <returns>True when the frame was queued.</returns>
    public bool Offer(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_offered++ % _model.Options.EveryNthFrame != 0)
        {
            return false;
        }

        _model.ProbationTap?.Invoke(frame);
        return _queue.Writer.TryWrite(frame);
    }

    /// <summary>No more frames: <see cref="RunAsync"/> finishes the queue and returns.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var ids = _model.Signals.Select(s => _bus.Register(s.Name, s.Kind)).ToArray();
        var values = new SignalValue[ids.Length];
        await (DecodesAhead ? RunDecodingAheadAsync(ids, values, cancellationToken) : RunInTurnAsync(ids, values, cancellationToken)).ConfigureAwait(false);
    }

    private async Task RunInTurnAsync(SignalId[] ids, SignalValue[] values, CancellationToken cancellationToken)
    {
        await foreach (var frame in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!RunAndPublish(Prepare(frame, 0), ids, values))
            {
                return;
            }
        }
    }

    private async Task RunDecodingAheadAsync(SignalId[] ids, SignalValue[] values, CancellationToken cancellationToken)
    {
        // Slots circulate: free → prepared (decode side) → run and published (this side) → free.
        var free = Channel.CreateBounded<int>(OnnxInferenceEngine.InputSlots);
        for (var slot = 0; slot < OnnxInferenceEngine.InputSlots; slot++)
        {
            free.Writer.TryWrite(slot);
        }

        var prepared = Channel.CreateBounded<PreparedFrame>(new BoundedChannelOptions(OnnxInferenceEngine.InputSlots) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var decoding = Task.Run(() => DecodeAheadAsync(free, prepared.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var frame in prepared.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (!RunAndPublish(frame, ids, values))
                    {
                        return;
                    }
                }
                finally
                {
                    free.Writer.TryWrite(frame.Slot);
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await decoding.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped with the runner.
            }
        }
    }

    /// <summary>Takes a free slot first, then the oldest queued frame: a frame leaves the drop-oldest queue only when it can be prepared.</summary>
    private async Task DecodeAheadAsync(Channel<int> free, ChannelWriter<PreparedFrame> prepared, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var slot = await free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (!await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                if (_queue.Reader.TryRead(out var frame))
                {
                    // Never full: the channel holds as many entries as there are slots.
                    prepared.TryWrite(Prepare(frame, slot));
                }
                else
                {
                    free.Writer.TryWrite(slot);
                }
            }

            prepared.TryComplete();
        }
        catch (Exception e)
        {
            prepared.TryComplete(e);
            throw;
        }
    }

    private PreparedFrame Prepare(Frame frame, int slot)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var engine = _model.Engine!;
            try
            {
                engine.Prepare(frame, slot);
                return new PreparedFrame(frame, slot, engine, Stopwatch.GetElapsedTime(started), null);
            }
            catch (InvalidDataException e)
            {
                return new PreparedFrame(frame, slot, engine, TimeSpan.Zero, e);
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(engine, _model.Engine))
            {
                // A release was swapped in: the frame is prepared on the new engine instead.
            }
        }
    }

    /// <returns>False when the model was taken out of service.</returns>
    private bool RunAndPublish(PreparedFrame frame, SignalId[] ids, SignalValue[] values)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (frame.Corrupt is { } corrupt)
            {
                throw corrupt;
            }

            Run(frame, values);

            // The frame's own work: its decode and resize (done ahead, overlapping the previous run) and its run.
            _model.Status.InferenceLatency.Record(frame.PrepareTime + Stopwatch.GetElapsedTime(started));
            _consecutiveErrors = 0;
        }
        catch (InvalidDataException e)
        {
            _model.Status.CountCorrupt();
            _observe?.Invoke(FrameOutcome.Corrupt);
            LogCorruptFrame(_logger, _model.Options.Name, frame.Frame.Sequence, e.Message);
            return true;
        }
        catch (OnnxRuntimeException e)
        {
            _model.Status.CountError();
            _observe?.Invoke(FrameOutcome.Error);
            LogRunFailed(_logger, _model.Options.Name, frame.Frame.Sequence, e.Message);
            if (++_consecutiveErrors >= MaxConsecutiveErrors)
            {
                TakeOutOfService($"{_consecutiveErrors} runs in a row failed, the last with: {e.Message}");
                return false;
            }

            return true;
        }

        for (var i = 0; i < ids.Length; i++)
        {
            _bus.Publish(ids[i], values[i], frame.Frame.Time);
        }

        _model.Status.CountInferred();
        _observe?.Invoke(FrameOutcome.Inferred);
        return true;
    }

    private void Run(PreparedFrame frame, SignalValue[] values)
    {
        var engine = frame.Engine;
        while (true)
        {
            try
            {
                if (!ReferenceEquals(engine, _model.Engine))
                {
                    // A release was swapped in after this frame was prepared: prepare it again on the new engine.
                    engine = _model.Engine!;
                    engine.Prepare(frame.Frame, frame.Slot);
                }

                engine.Run(frame.Slot, values);
                return;
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(engine, _model.Engine))
            {
                // Swapped (and the old engine disposed) between the check and the run: once more on the new one.
            }
        }
    }

    private void TakeOutOfService(string reason)
    {
        _model.Status.Failed(reason);
        _queue.Writer.TryComplete();
        foreach (var (name, _) in _model.Signals)
        {
            _bus.Availability.MarkUnavailable(name, $"model '{_model.Options.Name}' stopped: {reason}");
        }

        LogOutOfService(_logger, _model.Options.Name, reason);
    }

    /// <summary>A frame in an input slot, with the engine it was prepared on, or why it could not be.</summary>
    private readonly record struct PreparedFrame(Frame Frame, int Slot, OnnxInferenceEngine Engine, TimeSpan PrepareTime, InvalidDataException? Corrupt);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Shadow model {Model}: frame {Sequence} skipped: {Reason}")]
    private static partial void LogCorruptFrame(ILogger logger, string model, long sequence, string reason);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "Shadow model {Model}: run on frame {Sequence} failed: {Reason}")]
    private static partial void LogRunFailed(ILogger logger, string model, long sequence, string reason);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "Shadow model {Model} taken out of service, its triggers are disabled: {Reason}")]
    private static partial void LogOutOfService(ILogger logger, string model, string reason);
}
