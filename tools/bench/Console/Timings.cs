using System.Globalization;

namespace DataCentric.Edge.Bench.Console;

/// <summary>Samples of one measured thing, in milliseconds, summarised as median / p90 / max.</summary>
internal sealed class Timings(string name)
{
    private readonly List<double> _samples = [];

    public string Name { get; } = name;

    public int Count => _samples.Count;

    public void Add(TimeSpan elapsed) => _samples.Add(elapsed.TotalMilliseconds);

    public void Add(double milliseconds) => _samples.Add(milliseconds);

    public double Median => Percentile(0.5);

    public double Max => _samples.Max();

    /// <summary>How many samples are under <paramref name="milliseconds"/>.</summary>
    public int Under(double milliseconds) => _samples.Count(s => s < milliseconds);

    public double Percentile(double p)
    {
        var sorted = _samples.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name,-52} median {Median,8:0.0} ms   p90 {Percentile(0.9),8:0.0} ms   max {Max,8:0.0} ms   (n={Count})");
}
