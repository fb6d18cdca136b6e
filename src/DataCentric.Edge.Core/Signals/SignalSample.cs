namespace DataCentric.Edge.Core.Signals;

/// <summary>A value and the monotonic time (since agent start) at which it was true.</summary>
public readonly record struct SignalSample(SignalValue Value, TimeSpan Time);

/// <summary>A sample together with the signal it belongs to, as the recorder's tap sees it.</summary>
public readonly record struct SignalUpdate(SignalId Id, string Name, SignalSample Sample);

/// <summary>Dense index of a registered signal, so hot paths avoid dictionary look-ups.</summary>
public readonly record struct SignalId(int Value);
