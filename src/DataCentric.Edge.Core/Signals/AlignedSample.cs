namespace DataCentric.Edge.Core.Signals;

/// <summary>How a signal's value relates to a frame's instant.</summary>
public enum Alignment
{
    /// <summary>No sample at or before the frame: nothing to use.</summary>
    Missing,

    /// <summary>The newest sample at or before the frame, within the allowed skew.</summary>
    Fresh,

    /// <summary>The newest sample at or before the frame is older than the allowed skew: report it, do not use it as current.</summary>
    Stale,
}

/// <summary>A signal's value as seen at a frame's instant, with how far behind the frame it was taken.</summary>
public readonly record struct AlignedSample(Alignment Alignment, SignalSample Sample, TimeSpan Skew)
{
    public bool IsFresh => Alignment == Alignment.Fresh;
}
