using System.Diagnostics;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using Microsoft.ML.OnnxRuntime;

namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>What a candidate did on real frames beside the running model.</summary>
/// <param name="Arrived">False when fewer frames than asked for arrived before the timeout.</param>
/// <param name="FirstError">The first failed run's message.</param>
public sealed record ProbationRun(ModelProbationReport Report, bool Arrived, string? FirstError);

/// <summary>
/// Runs a loaded candidate on the frames its model is offered (every Nth, as the model runs them),
/// on a pool thread of its own: the running model keeps its thread and its queue. The candidate's
/// queue holds one frame and drops older ones, so a slow candidate falls behind on its own frames
/// only. Nothing the candidate computes is published.
/// </summary>
public static class ModelProbation
{
    public static async Task<ProbationRun> RunAsync(ShadowModel model, OnnxInferenceEngine candidate, int frames, TimeSpan timeout, UnitMemoryLimit? limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        var queue = Channel.CreateBounded<Frame>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
        model.ProbationTap = frame => queue.Writer.TryWrite(frame);
        try
        {
            return await Task.Run(() => ConsumeAsync(queue.Reader, candidate, frames, timeout, limit, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            model.ProbationTap = null;
        }
    }

    private static async Task<ProbationRun> ConsumeAsync(ChannelReader<Frame> queue, OnnxInferenceEngine candidate, int frames, TimeSpan timeout, UnitMemoryLimit? limit, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(frames);
        var outputs = new SignalValue[candidate.Outputs.Count];
        var runs = 0;
        var errors = 0;
        string? firstError = null;
        var peakResident = Environment.WorkingSet;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (runs < frames)
            {
                var frame = await queue.ReadAsync(deadline.Token).ConfigureAwait(false);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    candidate.Infer(frame, outputs);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (InvalidDataException)
                {
                    // A corrupt frame says nothing about the candidate (the running model skips it too).
                    continue;
                }
                catch (OnnxRuntimeException e)
                {
                    errors++;
                    firstError ??= e.Message;
                }

                runs++;
                peakResident = Math.Max(peakResident, Environment.WorkingSet);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: judged on what arrived.
        }

        var report = new ModelProbationReport(runs, errors, Percentile(latencies, 0.50), Percentile(latencies, 0.95), peakResident, limit?.Bytes);
        return new ProbationRun(report, runs >= frames, firstError);
    }

    /// <summary>Nearest-rank percentile; 0 with no samples.</summary>
    internal static double Percentile(List<double> samples, double quantile)
    {
        if (samples.Count == 0)
        {
            return 0;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
