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

    /// <param name="observe">Told of every frame's outcome (the agent's totals); called on the runner's thread or the offering one.</param>
    public ShadowModelRunner(ShadowModel model, SignalBus bus, ILogger<ShadowModelRunner> logger, Action<FrameOutcome>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(logger);
        _model = model;
        _ = model.Engine ?? throw new ArgumentException($"Model '{model.Options.Name}' is not loaded: {model.Status.Failure}", nameof(model));
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
        var signals = _model.Signals;
        var ids = signals.Select(s => _bus.Register(s.Name, s.Kind)).ToArray();
        var values = new SignalValue[ids.Length];
        var consecutiveErrors = 0;
        await foreach (var frame in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                Infer(frame, values);
                _model.Status.InferenceLatency.Record(Stopwatch.GetElapsedTime(started));
                consecutiveErrors = 0;
            }
            catch (InvalidDataException e)
            {
                _model.Status.CountCorrupt();
                _observe?.Invoke(FrameOutcome.Corrupt);
                LogCorruptFrame(_logger, _model.Options.Name, frame.Sequence, e.Message);
                continue;
            }
            catch (OnnxRuntimeException e)
            {
                _model.Status.CountError();
                _observe?.Invoke(FrameOutcome.Error);
                LogRunFailed(_logger, _model.Options.Name, frame.Sequence, e.Message);
                if (++consecutiveErrors >= MaxConsecutiveErrors)
                {
                    TakeOutOfService($"{consecutiveErrors} runs in a row failed, the last with: {e.Message}");
                    return;
                }

                continue;
            }

            for (var i = 0; i < ids.Length; i++)
            {
                _bus.Publish(ids[i], values[i], frame.Time);
            }

            _model.Status.CountInferred();
            _observe?.Invoke(FrameOutcome.Inferred);
        }
    }

    private void Infer(Frame frame, SignalValue[] values)
    {
        while (true)
        {
            var engine = _model.Engine!;
            try
            {
                engine.Infer(frame, values);
                return;
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(engine, _model.Engine))
            {
                // A release was swapped in (and the old engine disposed) between reading the engine
                // and running it: the frame runs on the new one instead of being lost.
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

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Shadow model {Model}: frame {Sequence} skipped: {Reason}")]
    private static partial void LogCorruptFrame(ILogger logger, string model, long sequence, string reason);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "Shadow model {Model}: run on frame {Sequence} failed: {Reason}")]
    private static partial void LogRunFailed(ILogger logger, string model, long sequence, string reason);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "Shadow model {Model} taken out of service, its triggers are disabled: {Reason}")]
    private static partial void LogOutOfService(ILogger logger, string model, string reason);
}
