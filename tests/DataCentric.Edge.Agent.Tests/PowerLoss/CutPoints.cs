using System.Text;
using System.Text.RegularExpressions;

namespace DataCentric.Edge.Agent.Tests.PowerLoss;

/// <summary>One simulated power loss: just before record <see cref="Cut"/>, under <see cref="Model"/>.</summary>
internal sealed record CutPoint(int Cut, LossModel Model, int Seed, IReadOnlyList<string> ReportedClips)
{
    public override string ToString() => $"cut {Cut} ({Model}{(Model == LossModel.Torn ? $", seed {Seed}" : "")}, {ReportedClips.Count} clips reported stored)";
}

/// <summary>
/// Where to cut a write log: at every fsync (just before it and just after), halfway between
/// consecutive ones, and just after each "Clip … stored" report, the moment a user is told.
/// </summary>
internal static partial class CutPoints
{
    public static IReadOnlyList<CutPoint> Choose(IReadOnlyList<WriteRecord> log, int wanted)
    {
        var syncs = log.Where(r => r.Op is WriteOp.Fsync or WriteOp.DirectorySync).Select(r => r.Index).ToList();
        var reports = ReportIndices(log);
        var cuts = new SortedSet<int> { 0, log.Count };
        foreach (var s in syncs)
        {
            cuts.Add(s);
            cuts.Add(s + 1);
        }

        cuts.UnionWith(syncs.Zip(syncs.Skip(1), (a, b) => (a + b) / 2));

        // Evenly spread when there are more than wanted; every report stays (it is the point of the test).
        var spread = Spread([.. cuts], wanted);
        spread.UnionWith(reports.Select(r => r + 1));
        var points = new List<CutPoint>();
        var n = 0;
        foreach (var cut in spread)
        {
            var reported = Reported(log, cut);
            points.Add(new CutPoint(cut, LossModel.DropUnsynced, 0, reported));
            if (n % 3 == 0)
            {
                points.Add(new CutPoint(cut, LossModel.Torn, n, reported));
            }

            if (n % 5 == 0)
            {
                points.Add(new CutPoint(cut, LossModel.KeepAll, 0, reported));
            }

            n++;
        }

        return points;
    }

    /// <summary>The clips the agent had said were stored (its event 400) in its output before record <paramref name="cut"/>.</summary>
    public static IReadOnlyList<string> Reported(IReadOnlyList<WriteRecord> log, int cut)
    {
        var text = new StringBuilder();
        foreach (var r in log.Take(cut).Where(r => r.Op == WriteOp.Output))
        {
            text.Append(Encoding.UTF8.GetString(r.Data));
        }

        return [.. StoredReport().Matches(text.ToString()).Select(m => m.Groups[1].Value)];
    }

    private static List<int> ReportIndices(IReadOnlyList<WriteRecord> log) =>
        [.. log.Where(r => r.Op == WriteOp.Output && StoredReport().IsMatch(Encoding.UTF8.GetString(r.Data))).Select(r => r.Index)];

    private static SortedSet<int> Spread(List<int> sorted, int wanted)
    {
        if (sorted.Count <= wanted)
        {
            return [.. sorted];
        }

        return [.. Enumerable.Range(0, wanted).Select(i => sorted[(int)((long)i * (sorted.Count - 1) / (wanted - 1))])];
    }

    [GeneratedRegex(@"\[400\] Clip (\w+) stored:")]
    private static partial Regex StoredReport();
}
