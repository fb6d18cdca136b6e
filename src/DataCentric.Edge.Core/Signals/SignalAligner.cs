namespace DataCentric.Edge.Core.Signals;

/// <summary>
/// Aligns frames with signals: the value of a signal at a frame is its newest sample taken at or
/// before the frame (never one from the frame's future), and a sample older than the allowed skew
/// is marked <see cref="Alignment.Stale"/> rather than silently used.
/// </summary>
public static class SignalAligner
{
    /// <summary>Looks up the bus's bounded history; <paramref name="scratch"/> lets hot paths avoid allocating.</summary>
    public static AlignedSample At(SignalBus bus, SignalId id, TimeSpan frameTime, TimeSpan maxSkew, Span<SignalSample> scratch)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var count = bus.CopyHistory(id, scratch);
        return NearestBefore(scratch[..count], frameTime, maxSkew);
    }

    /// <summary>Same as <see cref="At(SignalBus, SignalId, TimeSpan, TimeSpan, Span{SignalSample})"/> with a history of up to the bus's capacity.</summary>
    public static AlignedSample At(SignalBus bus, SignalId id, TimeSpan frameTime, TimeSpan maxSkew)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var scratch = new SignalSample[bus.HistoryCapacity];
        return At(bus, id, frameTime, maxSkew, scratch);
    }

    /// <summary>Picks from samples ordered oldest first (as <see cref="SignalBus.CopyHistory"/> gives them).</summary>
    public static AlignedSample NearestBefore(ReadOnlySpan<SignalSample> history, TimeSpan frameTime, TimeSpan maxSkew)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSkew, TimeSpan.Zero);

        // Newest first: the first sample not after the frame is the nearest before it.
        for (var i = history.Length - 1; i >= 0; i--)
        {
            var sample = history[i];
            if (sample.Time <= frameTime)
            {
                var skew = frameTime - sample.Time;
                return new AlignedSample(skew <= maxSkew ? Alignment.Fresh : Alignment.Stale, sample, skew);
            }
        }

        return new AlignedSample(Alignment.Missing, default, TimeSpan.Zero);
    }
}
