namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// One encoded camera frame as a source delivered it. <see cref="Time"/> is monotonic (see
/// <c>MonotonicClock</c>); <see cref="WallClock"/> is for names and reports only.
/// </summary>
/// <param name="Format">Encoding of <see cref="Data"/>: <c>jpeg</c>, <c>png</c> (Foxglove's names).</param>
public sealed record Frame(
    long Sequence,
    TimeSpan Time,
    DateTimeOffset WallClock,
    int Width,
    int Height,
    string Format,
    ReadOnlyMemory<byte> Data,
    string FrameId = "camera");
