using System.Diagnostics;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Runs the shadow model on the newest frames and publishes its outputs as <c>shadow.*</c>
/// signals stamped with the frame's time. It only observes: nothing it computes leaves the agent
/// except as recorded data.
/// </summary>
internal sealed partial class InferenceWorker(IInferenceEngine engine, SignalBus bus, PipelineChannels channels, AgentMetrics metrics, ILogger<InferenceWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ids = engine.Outputs.Select(o => bus.Register(o.Name, o.Kind)).ToArray();
        var outputs = new SignalValue[ids.Length];
        LogStarted(engine.Model.Name, engine.Model.Sha256);
        await foreach (var frame in channels.InferenceFrames.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                engine.Infer(frame, outputs);
            }
            catch (InvalidDataException e)
            {
                metrics.CountCorruptFrame();
                LogCorruptFrame(frame.Sequence, e.Message);
                continue;
            }

            for (var i = 0; i < ids.Length; i++)
            {
                bus.Publish(ids[i], outputs[i], frame.Time);
            }

            metrics.InferenceLatency.Record(Stopwatch.GetElapsedTime(started));
            metrics.CountInferredFrame();
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Shadow model {Model} running (sha256 {ModelSha})")]
    private partial void LogStarted(string model, string modelSha);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Frame {Sequence} skipped: {Reason}")]
    private partial void LogCorruptFrame(long sequence, string reason);
}
