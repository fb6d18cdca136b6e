namespace DataCentric.Edge.Bench.Fleet;

/// <summary>
/// One timed run of one mode: the clip bytes sent, how long until the broker acknowledged every
/// publish, how long until the receiving side had everything (mosquitto_sub exited, or every clip
/// acknowledged), and the memory samples taken meanwhile. <see cref="Failure"/> says why a run did not finish.
/// </summary>
internal sealed record RunResult(
    BenchMode Mode,
    int Round,
    int Clips,
    long Bytes,
    TimeSpan Published,
    TimeSpan? Completed,
    string? Failure,
    IReadOnlyList<RssSample> Samples)
{
    public bool Succeeded => Failure is null && Completed is not null;

    public double MiBPerSecond => Completed is { } time ? Bytes / (1024.0 * 1024) / time.TotalSeconds : double.NaN;
}
