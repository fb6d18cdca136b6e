using System.Diagnostics;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Bench.Inference;

/// <summary>
/// (p) The agent's frame path as it runs: a <see cref="ShadowModelRunner"/> that decodes the next
/// frame while the model runs this one, fed a block of frames at once (as from a camera faster than
/// the model) and timed until the last frame's signals are published.
/// </summary>
internal sealed class DecodeAheadPath(ShadowModel model, SignalBus bus, Frame frame)
{
    /// <summary>Frames per block: the runner's queue holds them all, so none is dropped.</summary>
    public const int Block = 16;

    /// <returns>Wall and whole-process CPU milliseconds per frame of one block.</returns>
    public (double Milliseconds, double CpuMilliseconds) RunBlock()
    {
        // Decode ahead is asked for: the agent's runner does it on GPU providers only, and this table measures it on either.
        var runner = new ShadowModelRunner(model, bus, NullLogger<ShadowModelRunner>.Instance, decodeAhead: true);
        var inferred = model.Status.FramesInferred;
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Block; i++)
        {
            runner.Offer(frame);
        }

        runner.Complete();
        runner.RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        self.Refresh();
        if (model.Status.FramesInferred - inferred != Block)
        {
            throw new InvalidOperationException($"the runner inferred {model.Status.FramesInferred - inferred} of {Block} frames (dropped {model.Status.FramesDropped}, corrupt {model.Status.CorruptFrames}, errors {model.Status.Errors})");
        }

        return (elapsed / Block, (self.TotalProcessorTime - cpu).TotalMilliseconds / Block);
    }
}
