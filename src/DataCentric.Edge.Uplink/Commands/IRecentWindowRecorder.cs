using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Commands;

/// <summary>
/// Cuts a clip on request from what the recorder still holds in its ring (and what arrives until
/// the window's end): an engineer's <c>pullWindow</c> around an event no stored clip covers.
/// </summary>
public interface IRecentWindowRecorder
{
    /// <summary>What the ring holds now (wall clock): its oldest moment to now.</summary>
    TimeRange Holds();

    /// <summary>Asks for <paramref name="window"/> (wall clock) to be recorded.</summary>
    /// <returns>The part that will be recorded, or null when none of it is still held (or the recorder is saturated).</returns>
    TimeRange? Request(TimeRange window, string reason);
}
