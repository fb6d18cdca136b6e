namespace DataCentric.Edge.Core.Signals;

/// <summary>
/// Aligns frames with signals: the value of a signal at a frame is its newest sample taken at or
/// before the frame (never one from the frame's future), and a sample older than the allowed skew
/// is marked <see cref="Alignment.Stale"/> rather than silently used. The trigger engine applies
/// the same rule to every signal a set reads, at the instant of the newest frame the models have
/// finished (see <see cref="SignalPrefixes.ModelOutput"/>).
/// </summary>
public static class SignalAligner
{
    /// <summary>Looks up the bus's bounded history without allocating.</summary>
    public static AlignedSample At(SignalBus bus, SignalId id, TimeSpan frameTime, TimeSpan maxSkew)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSkew, TimeSpan.Zero);
        if (!bus.TryGetAt(id, frameTime, out var sample))
        {
            return new AlignedSample(Alignment.Missing, default, TimeSpan.Zero);
        }

        var skew = frameTime - sample.Time;
        return new AlignedSample(skew <= maxSkew ? Alignment.Fresh : Alignment.Stale, sample, skew);
    }
}
