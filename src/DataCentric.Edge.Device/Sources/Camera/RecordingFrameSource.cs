using System.Runtime.CompilerServices;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>Replays a recording's frames, re-stamped onto the agent's clock (see <see cref="RecordingReplay"/>).</summary>
public sealed class RecordingFrameSource(RecordingReplay replay, MonotonicClock clock) : IFrameSource
{
    public string Name => $"recording:{replay.Options.Path}";

    public async IAsyncEnumerable<Frame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var clip = replay.Clip;
        if (clip.Frames.Count == 0)
        {
            throw new FrameSourceException("no-frames", $"Recording '{replay.Options.Path}' holds no camera frames");
        }

        long sequence = 0;
        do
        {
            var anchor = replay.AnchorAt(clock.Now);
            foreach (var recorded in clip.Frames)
            {
                var time = await ReplayClock.WaitUntilAsync(replay.Options.Pacing, anchor + (recorded.Time - clip.Start), clock, cancellationToken).ConfigureAwait(false);
                yield return recorded with { Sequence = sequence++, Time = time, WallClock = clock.ToWallClock(time) };
            }

            replay.Advance(clock.Now);
        }
        while (replay.Options.Loop && !cancellationToken.IsCancellationRequested);
    }
}
