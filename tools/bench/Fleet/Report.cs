using System.Globalization;
using System.Text;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>The console lines of each run, the summary table, and runs.csv / samples.csv in the output directory.</summary>
internal static class Report
{
    private const double MiB = 1024.0 * 1024;

    public static string Run(RunResult run)
    {
        var text = new StringBuilder();
        text.Append(Invariant($"{run.Mode.Describe(),-30} round {run.Round}: {run.Bytes / MiB:0} MiB in {run.Clips} clips, "));
        text.Append(run.Published > TimeSpan.Zero ? Invariant($"published in {run.Published.TotalSeconds:0.00} s, ") : "not sent, ");
        text.Append(run.Succeeded
            ? Invariant($"all received in {run.Completed!.Value.TotalSeconds:0.00} s -> {run.MiBPerSecond:0.0} MiB/s")
            : "FAILED");
        text.AppendLine();
        if (run.Failure is { } failure)
        {
            text.AppendLine("    " + failure);
        }

        foreach (var process in run.Samples.GroupBy(s => s.Process))
        {
            var rss = process.Select(s => s.RssKiB / 1024.0).ToList();
            text.AppendLine(Invariant($"    RSS {process.Key,-14} min {rss.Min(),7:0.0}  max {rss.Max(),7:0.0}  last {rss[^1],7:0.0} MiB  ({rss.Count} samples, 1/s)"));
        }

        return text.ToString();
    }

    public static string Summary(IReadOnlyList<RunResult> runs, int rounds)
    {
        var text = new StringBuilder();
        var roundColumns = Enumerable.Range(1, rounds).ToList();
        text.AppendLine();
        text.AppendLine("summary (MiB/s of clip bytes, first publish to last delivery / last ClipAck)");
        text.AppendLine(Invariant($"{"mode",-30}") + string.Concat(roundColumns.Select(r => Invariant($"{"round " + r,10}"))) + Invariant($"{"mean",10}"));
        foreach (var mode in runs.Select(r => r.Mode).Distinct())
        {
            var cells = roundColumns.Select(r => runs.FirstOrDefault(x => x.Mode == mode && x.Round == r) is { Succeeded: true } run ? run.MiBPerSecond : double.NaN).ToList();
            text.AppendLine(Invariant($"{mode.Describe(),-30}") + Cells(cells));
        }

        foreach (var mode in (BenchMode[])[BenchMode.OneReceiver, BenchMode.TwoReceivers])
        {
            if (!runs.Any(r => r.Mode == mode) || !runs.Any(r => r.Mode == BenchMode.Baseline))
            {
                continue;
            }

            // The ratio within each round (same machine state), then their mean.
            var ratios = roundColumns.Select(r => Rate(runs, mode, r) / Rate(runs, BenchMode.Baseline, r)).ToList();
            text.AppendLine(Invariant($"{"ratio (" + mode.Letter() + ")/(a)",-30}") + Cells(ratios, "0.00"));
        }

        foreach (var mode in runs.Select(r => r.Mode).Distinct().Where(m => m != BenchMode.Baseline))
        {
            var peaks = roundColumns.Select(r => runs.FirstOrDefault(x => x.Mode == mode && x.Round == r) is { } run
                ? run.Samples.Where(s => s.Process.StartsWith("receiver", StringComparison.Ordinal)).Select(s => s.RssKiB / 1024.0).DefaultIfEmpty(double.NaN).Max()
                : double.NaN).ToList();
            text.AppendLine(Invariant($"{"max receiver RSS MiB (" + mode.Letter() + ")",-30}") + Cells(peaks));
        }

        return text.ToString();
    }

    public static void WriteCsv(string directory, IReadOnlyList<RunResult> runs)
    {
        Directory.CreateDirectory(directory);
        var runLines = new List<string> { "mode,round,clips,bytes,published_s,completed_s,mib_per_s,status,detail" };
        runLines.AddRange(runs.Select(r => Invariant(
            $"{r.Mode.Letter()},{r.Round},{r.Clips},{r.Bytes},{r.Published.TotalSeconds:0.000},{r.Completed?.TotalSeconds:0.000},{(r.Succeeded ? r.MiBPerSecond.ToString("0.00", CultureInfo.InvariantCulture) : string.Empty)},{(r.Succeeded ? "ok" : "failed")},\"{(r.Failure ?? string.Empty).Split('\n')[0].Replace("\"", "'", StringComparison.Ordinal)}\"")));
        File.WriteAllLines(Path.Combine(directory, "runs.csv"), runLines);

        var sampleLines = new List<string> { "mode,round,process,pid,elapsed_s,rss_kib" };
        sampleLines.AddRange(runs.SelectMany(r => r.Samples.Select(s => Invariant($"{r.Mode.Letter()},{r.Round},{s.Process},{s.Pid},{s.ElapsedSeconds:0.000},{s.RssKiB}"))));
        File.WriteAllLines(Path.Combine(directory, "samples.csv"), sampleLines);
    }

    private static double Rate(IReadOnlyList<RunResult> runs, BenchMode mode, int round) =>
        runs.FirstOrDefault(r => r.Mode == mode && r.Round == round) is { Succeeded: true } run ? run.MiBPerSecond : double.NaN;

    /// <summary>One cell per round, then the mean of the rounds that have a value.</summary>
    private static string Cells(List<double> values, string format = "0.0")
    {
        var present = values.Where(v => !double.IsNaN(v)).ToList();
        var mean = present.Count > 0 ? present.Average() : double.NaN;
        return string.Concat(values.Append(mean).Select(v => (double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture)).PadLeft(10)));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
