using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>Paces a replay: waits on the injected clock for real time, not at all for as-fast-as-possible.</summary>
internal static class ReplayClock
{
    /// <summary>Returns the time to stamp: the due time in real time, now when replaying as fast as possible.</summary>
    public static async ValueTask<TimeSpan> WaitUntilAsync(ReplayPacing pacing, TimeSpan due, MonotonicClock clock, CancellationToken cancellationToken)
    {
        if (pacing == ReplayPacing.AsFastAsPossible)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return clock.Now;
        }

        var wait = due - clock.Now;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        return due;
    }
}
