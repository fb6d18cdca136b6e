namespace DataCentric.Edge.Core.Contracts;

/// <summary>The rules of <c>pullWindow</c> that both the device and edgectl follow (CONTRACT.md, "Commands").</summary>
public static class PullWindows
{
    /// <summary>The trigger id of a clip the recorder cut from its ring for a pull (no trigger set holds it, so it uploads at once).</summary>
    public const string RingCutTriggerId = "pull-window";

    /// <summary>The longest window one request may ask for: an hour of clips is already hundreds of MB on a camera device.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    /// <summary>Whether a received clip is one the recorder cut for a pull of <paramref name="ranges"/> (its trigger and time overlap one).</summary>
    public static bool IsRingCutFor(IReadOnlyList<string> triggerIds, TimeRange clip, IEnumerable<TimeRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(triggerIds);
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(ranges);
        return triggerIds.Contains(RingCutTriggerId) && ranges.Any(r => clip.From < r.To && clip.To > r.From);
    }
}

/// <summary>
/// What a device still holds when asked for a window: its stored clips (oldest start to newest end)
/// and its recorder's ring (the last <c>Recorder:RingDuration</c>). Null where it holds none.
/// </summary>
public sealed record DeviceHoldings(TimeRange? Clips, TimeRange? RecentBuffer, DateTimeOffset Now);
