using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Uplink.Commands;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Pipeline;

/// <summary>
/// Turns a requested window into a manual trigger event for the recorder, which cuts it from its
/// ring like any trigger: the clip is stored, catalogued and uploaded (trigger id
/// <see cref="TriggerId"/>, which no trigger set holds, so it uploads immediately).
/// </summary>
public sealed class RingWindowRecorder(PipelineChannels channels, MonotonicClock clock, IOptions<RecorderOptions> options) : IRecentWindowRecorder
{
    public const string TriggerId = PullWindows.RingCutTriggerId;

    /// <summary>Above every trigger set's priorities: an engineer is waiting for it.</summary>
    private const int Priority = 1000;

    public TimeRange Holds()
    {
        var now = clock.Now;
        return new TimeRange(clock.ToWallClock(now - options.Value.RingDuration), clock.ToWallClock(now));
    }

    public TimeRange? Request(TimeRange window, string reason)
    {
        ArgumentNullException.ThrowIfNull(window);
        var now = clock.Now;
        var held = now - options.Value.RingDuration;
        var from = clock.ToMonotonic(window.From);
        var to = clock.ToMonotonic(window.To);
        if (to <= held || to <= from)
        {
            return null;
        }

        from = from < held ? held : from;
        var maxEnd = from + options.Value.MaxClipLength;
        to = to > maxEnd ? maxEnd : to;
        var hit = new TriggerHit(TriggerId, reason, Priority, to - from, TimeSpan.Zero);
        var request = new TriggerEvent(Guid.CreateVersion7().ToString("N"), [hit], to, clock.ToWallClock(to), 0, DryRun: false);
        return channels.TriggerEvents.Writer.TryWrite(request) ? new TimeRange(clock.ToWallClock(from), clock.ToWallClock(to)) : null;
    }
}
