using System.Globalization;

namespace DataCentric.Edge.Bench.ModelTransfer;

internal sealed record Measurement(long Bytes, TimeSpan Wall, double RssStartMiB, double RssMaxMiB)
{
    public double MiBPerSecond => Bytes / (1024.0 * 1024) / Wall.TotalSeconds;

    public static Measurement Median(List<Measurement> runs) => runs.OrderBy(r => r.MiBPerSecond).ElementAt(runs.Count / 2);

    public string Describe(string name) => string.Create(CultureInfo.InvariantCulture,
        $"{name,-40} {MiBPerSecond,8:0.0} MiB/s  ({Wall.TotalSeconds:0.00} s wall, RSS max {RssMaxMiB:0.0} MiB)");
}
