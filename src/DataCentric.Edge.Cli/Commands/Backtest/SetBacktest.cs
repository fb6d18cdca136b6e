using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Backtest;
using DataCentric.Edge.Core.Triggers.Engine;

namespace DataCentric.Edge.Cli.Commands.Backtest;

/// <summary>One drive's backtest of a set, and how many ground-truth intervals it had (to weigh recall across drives).</summary>
internal sealed record DriveBacktest(BacktestDrive Drive, BacktestReport Report, int TruthIntervals);

/// <summary>One trigger over every drive: fires and clip bytes summed, rates over the drives' total time, fire times per drive.</summary>
internal sealed record TriggerSummary(
    string TriggerId,
    long Fires,
    double FiresPerHour,
    double ClipBytesPerHour,
    double? Recall,
    double? Precision,
    double? NearDuplicateShare,
    TriggerCounters Counters,
    IReadOnlyList<(string Drive, TimeSpan Time)> FireTimes);

/// <summary>A trigger set replayed on every drive: per drive, and aggregated.</summary>
internal sealed class SetBacktest
{
    private SetBacktest(FileInfo set, IReadOnlyList<DriveBacktest> perDrive)
    {
        Set = set;
        PerDrive = perDrive;
        Aggregate = Summarise(perDrive);
    }

    public FileInfo Set { get; }

    public IReadOnlyList<DriveBacktest> PerDrive { get; }

    public IReadOnlyList<TriggerSummary> Aggregate { get; }

    /// <summary>Compiles the set against each drive's signals and replays it there, with that drive's measured clip size.</summary>
    /// <returns>Null after writing every compile error (file, line:col) to <paramref name="error"/>.</returns>
    public static SetBacktest? Run(FileInfo set, string source, IReadOnlyList<BacktestDrive> drives, string truthSignal, TextWriter error)
    {
        var results = new List<DriveBacktest>();
        foreach (var drive in drives)
        {
            var compiled = TriggerSetCompiler.Compile(source, TriggerSourceFormats.FromPath(set.Name), drive.KnownSignals);
            if (compiled.Set is null)
            {
                error.WriteLine($"edgectl: {set.Name} is not valid against the signals of drive {drive.Name}:");
                foreach (var diagnostic in compiled.Errors)
                {
                    error.WriteLine($"  {set.Name}{diagnostic}");
                }

                return null;
            }

            var truth = drive.KnownSignals.Any(s => s.Name == truthSignal) ? drive.Drive.GroundTruth(truthSignal) : null;
            var report = TriggerBacktest.Run(compiled.Set, drive.Samples, new BacktestOptions
            {
                GroundTruth = truth,
                WallClockAtStart = drive.Drive.Content.WallClockStart,
                Engine = new TriggerEngineOptions { Random = new Random(0), EstimatedClipBytesPerSecond = (long)Math.Round(drive.ClipBytesPerSecond) },
            });
            results.Add(new DriveBacktest(drive, report, truth?.Count ?? 0));
        }

        return new SetBacktest(set, results);
    }

    private static List<TriggerSummary> Summarise(IReadOnlyList<DriveBacktest> perDrive)
    {
        var hours = Math.Max(perDrive.Sum(d => d.Report.Duration.TotalHours), 1e-9);
        var ids = perDrive.SelectMany(d => d.Report.Triggers.Select(t => t.TriggerId)).Distinct(StringComparer.Ordinal);
        return [.. ids.Select(id =>
        {
            var parts = perDrive
                .SelectMany(d => d.Report.Triggers.Where(t => t.TriggerId == id).Select(t => (Drive: d, Trigger: t)))
                .ToList();
            var fires = parts.Sum(p => p.Trigger.Fires);
            var bytes = parts.Sum(p => p.Trigger.EstimatedClipBytesPerHour * p.Drive.Report.Duration.TotalHours);
            return new TriggerSummary(
                id,
                fires,
                fires / hours,
                bytes / hours,
                Weighted(parts.Select(p => (p.Trigger.Recall, (double)p.Drive.TruthIntervals))),
                Weighted(parts.Select(p => (p.Trigger.Precision, (double)p.Trigger.Fires))),
                Weighted(parts.Select(p => (p.Trigger.NearDuplicateShare, (double)p.Trigger.Fires))),
                Sum(id, parts.Select(p => p.Trigger.Counters)),
                [.. parts.SelectMany(p => p.Trigger.FireTimes.Select(t => (p.Drive.Drive.Name, t - StartOf(p.Drive.Drive))))]);
        })];
    }

    private static TimeSpan StartOf(BacktestDrive drive) => drive.Samples.Count == 0 ? TimeSpan.Zero : drive.Samples[0].Time;

    private static double? Weighted(IEnumerable<(double? Value, double Weight)> parts)
    {
        var known = parts.Where(p => p.Value is not null && p.Weight > 0).ToList();
        var weight = known.Sum(p => p.Weight);
        return weight == 0 ? null : known.Sum(p => p.Value!.Value * p.Weight) / weight;
    }

    private static TriggerCounters Sum(string id, IEnumerable<TriggerCounters> counters) =>
        counters.Aggregate(
            new TriggerCounters(id, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            (a, c) => new TriggerCounters(
                id,
                a.Evaluations + c.Evaluations,
                a.RisingEdges + c.RisingEdges,
                a.Fires + c.Fires,
                a.DryRunFires + c.DryRunFires,
                a.SuppressedCooldown + c.SuppressedCooldown,
                a.SuppressedBudget + c.SuppressedBudget,
                a.SuppressedSampling + c.SuppressedSampling,
                a.SuppressedDuplicate + c.SuppressedDuplicate,
                a.MissingSignal + c.MissingSignal,
                a.DisabledReason ?? c.DisabledReason));
}
