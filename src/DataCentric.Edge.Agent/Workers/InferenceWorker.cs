using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Hands the newest frames to every running shadow model (each on its own bounded queue and frame
/// stride, so a slow embedder never holds up the detector) and lets each publish its outputs as
/// <c>shadow.*</c> signals stamped with the frame's time. It only observes: nothing it computes
/// leaves the agent except as recorded data. Broken models were reported at load; their signals
/// are marked unavailable here, which disables their triggers.
/// </summary>
internal sealed partial class InferenceWorker(
    ShadowModelSet models,
    SignalBus bus,
    PipelineChannels channels,
    AgentMetrics metrics,
    ILoggerFactory loggerFactory,
    ILogger<InferenceWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runnerLogger = loggerFactory.CreateLogger<ShadowModelRunner>();
        var runners = new List<ShadowModelRunner>();
        foreach (var model in models.Models)
        {
            model.Register(bus);
            if (model.Engine is { } engine)
            {
                var stage = $"inference:{model.Options.Name}";
                runners.Add(new ShadowModelRunner(model, bus, runnerLogger, outcome => Count(stage, outcome)));
                LogStarted(model.Options.Name, engine.Model.Sha256, model.Options.EveryNthFrame);
            }
        }

        // Each model runs on its own pool thread: ONNX Runtime calls are synchronous.
        var running = runners.Select(r => Task.Run(() => r.RunAsync(stoppingToken), stoppingToken)).ToList();
        try
        {
            await foreach (var frame in channels.InferenceFrames.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var runner in runners)
                {
                    runner.Offer(frame);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        finally
        {
            runners.ForEach(r => r.Complete());
            try
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutdown.
            }
        }
    }

    private void Count(string stage, FrameOutcome outcome)
    {
        switch (outcome)
        {
            case FrameOutcome.Inferred:
                metrics.CountInferredFrame();
                break;
            case FrameOutcome.Corrupt:
                metrics.CountCorruptFrame();
                break;
            case FrameOutcome.Dropped:
                metrics.CountDroppedFrame(stage);
                break;
            default:
                break;
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Shadow model {Model} running on every {EveryNthFrame}. frame (sha256 {ModelSha})")]
    private partial void LogStarted(string model, string modelSha, int everyNthFrame);
}
