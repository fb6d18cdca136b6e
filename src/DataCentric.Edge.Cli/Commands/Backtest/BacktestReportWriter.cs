using System.Globalization;
using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands.Backtest;

/// <summary>
/// Writes what <c>triggers test</c> found: the drives (length, measured clip size), a warning when
/// per-hour figures are extrapolated from little driving, per trigger fires, rates, recall,
/// precision and suppressions, each fire's time, the drives one by one when there are several,
/// and two sets side by side when one is compared with another.
/// </summary>
internal static class BacktestReportWriter
{
    /// <summary>Below this much driving in all, per-hour figures are extrapolated far enough to say so.</summary>
    public static readonly TimeSpan ShortDriveThreshold = TimeSpan.FromMinutes(30);

    private const int MaxFireTimesShown = 20;

    public static IReadOnlyList<string> Warnings(IReadOnlyList<BacktestDrive> drives)
    {
        var warnings = new List<string>();
        var total = TimeSpan.FromTicks(drives.Sum(d => d.Duration.Ticks));
        if (total < ShortDriveThreshold)
        {
            warnings.Add(Text($"per-hour figures are extrapolated x{TimeSpan.FromHours(1).TotalSeconds / Math.Max(total.TotalSeconds, 1e-3):0.#} from {total.TotalMinutes:0.#} min of driving (less than {ShortDriveThreshold.TotalMinutes:0} min): record longer drives before trusting them"));
        }

        foreach (var drive in drives.Where(d => d.ClipBytesSource.StartsWith("not measured", StringComparison.Ordinal)))
        {
            warnings.Add(Text($"{drive.Name}: clip size {drive.ClipBytesSource} of {drive.ClipBytesPerSecond / 1e6:0.##} MB/s; MB/h may be far off"));
        }

        return warnings;
    }

    public static void WriteText(TextWriter output, IReadOnlyList<BacktestDrive> drives, IReadOnlyList<SetBacktest> sets, string? truth)
    {
        foreach (var drive in drives)
        {
            output.WriteLine(Text(
                $"{drive.Name}: {drive.Duration.TotalMinutes:0.0} min, {drive.Samples.Count} samples, {drive.Drive.Content.Frames.Count} frames, clip size {drive.ClipBytesPerSecond / 1e6:0.###} MB/s ({drive.ClipBytesSource})"));
        }

        output.WriteLine($"ground truth: {truth ?? "none"}");
        foreach (var warning in Warnings(drives))
        {
            output.WriteLine($"warning: {warning}");
        }

        if (sets.Count == 2)
        {
            WriteComparison(output, sets[0], sets[1]);
        }

        foreach (var set in sets)
        {
            output.WriteLine();
            output.WriteLine(drives.Count > 1 ? $"{set.Set.Name}, all {drives.Count} drives:" : $"{set.Set.Name}:");
            WriteTable(output, set.Aggregate);
            WriteFireTimes(output, set.Aggregate, drives.Count > 1);
            if (drives.Count > 1)
            {
                foreach (var drive in set.PerDrive)
                {
                    output.WriteLine();
                    output.WriteLine($"{set.Set.Name} on {drive.Drive.Name}:");
                    WriteTable(output, [.. drive.Report.Triggers.Select(t => new TriggerSummary(
                        t.TriggerId, t.Fires, t.FiresPerHour, t.EstimatedClipBytesPerHour, t.Recall, t.Precision, t.NearDuplicateShare, t.Counters, []))]);
                }
            }
        }
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<BacktestDrive> drives, IReadOnlyList<SetBacktest> sets, string? truth)
    {
        output.WriteLine(JsonSerializer.Serialize(
            new
            {
                drive = drives[0].Name,
                groundTruth = truth,
                durationSeconds = drives.Sum(d => d.Duration.TotalSeconds),
                warnings = Warnings(drives),

                // The first set's triggers over all drives at the top, as before sets could be compared.
                triggers = sets[0].Aggregate.Select(Json),
                drives = drives.Select(d => new
                {
                    drive = d.Name,
                    durationSeconds = d.Duration.TotalSeconds,
                    samples = d.Samples.Count,
                    frames = d.Drive.Content.Frames.Count,
                    clipBytesPerSecond = d.ClipBytesPerSecond,
                    clipBytesSource = d.ClipBytesSource,
                }),
                sets = sets.Select(s => new
                {
                    set = s.Set.Name,
                    triggers = s.Aggregate.Select(Json),
                    perDrive = s.PerDrive.Select(d => new
                    {
                        drive = d.Drive.Name,
                        durationSeconds = d.Report.Duration.TotalSeconds,
                        triggers = d.Report.Triggers.Select(t => Json(new TriggerSummary(
                            t.TriggerId, t.Fires, t.FiresPerHour, t.EstimatedClipBytesPerHour, t.Recall, t.Precision, t.NearDuplicateShare, t.Counters,
                            [.. t.FireTimes.Select(f => (d.Drive.Name, f - (d.Drive.Samples.Count == 0 ? TimeSpan.Zero : d.Drive.Samples[0].Time)))]))),
                    }),
                }),
            },
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    }

    private static object Json(TriggerSummary t) => new
    {
        triggerId = t.TriggerId,
        fires = t.Fires,
        firesPerHour = t.FiresPerHour,
        estimatedClipBytesPerHour = t.ClipBytesPerHour,
        recall = t.Recall,
        precision = t.Precision,
        nearDuplicateShare = t.NearDuplicateShare,
        suppressed = new
        {
            cooldown = t.Counters.SuppressedCooldown,
            budget = t.Counters.SuppressedBudget,
            sampling = t.Counters.SuppressedSampling,
            duplicate = t.Counters.SuppressedDuplicate,
        },
        missingSignalTicks = t.Counters.MissingSignal,
        fireTimes = t.FireTimes.Select(f => new { drive = f.Drive, seconds = f.Time.TotalSeconds }),
    };

    private static void WriteTable(TextWriter output, IReadOnlyList<TriggerSummary> triggers)
    {
        output.WriteLine(Text($"{"trigger",-28} {"fires",6} {"fires/h",9} {"MB/h",9} {"recall",7} {"precision",9} {"near-dup",8}  suppressed: {"cooldown",8} {"budget",6} {"sampling",8} {"dup",5}"));
        foreach (var t in triggers)
        {
            output.WriteLine(Text(
                $"{t.TriggerId,-28} {t.Fires,6} {t.FiresPerHour,9:F1} {t.ClipBytesPerHour / 1e6,9:F1} {Share(t.Recall),7} {Share(t.Precision),9} {Share(t.NearDuplicateShare),8}              {t.Counters.SuppressedCooldown,8} {t.Counters.SuppressedBudget,6} {t.Counters.SuppressedSampling,8} {t.Counters.SuppressedDuplicate,5}"));
        }
    }

    private static void WriteFireTimes(TextWriter output, IReadOnlyList<TriggerSummary> triggers, bool nameDrives)
    {
        output.WriteLine("fire times (from the drive's start):");
        foreach (var t in triggers)
        {
            var shown = t.FireTimes.Take(MaxFireTimesShown).Select(f => nameDrives ? $"{f.Drive} {Clock(f.Time)}" : Clock(f.Time));
            var more = t.FireTimes.Count > MaxFireTimesShown ? $" (+{t.FireTimes.Count - MaxFireTimesShown} more, --json lists all)" : string.Empty;
            output.WriteLine($"  {t.TriggerId}: {(t.FireTimes.Count == 0 ? "none" : string.Join(", ", shown))}{more}");
        }
    }

    private static void WriteComparison(TextWriter output, SetBacktest a, SetBacktest b)
    {
        output.WriteLine();
        output.WriteLine($"A = {a.Set.Name}, B = {b.Set.Name}:");
        output.WriteLine(Text($"{"trigger",-28} {"fires A",8} {"fires B",8} {"fires/h A",10} {"fires/h B",10} {"MB/h A",8} {"MB/h B",8} {"recall A",8} {"recall B",8} {"suppr. A",8} {"suppr. B",8}"));
        var ids = a.Aggregate.Select(t => t.TriggerId).Concat(b.Aggregate.Select(t => t.TriggerId)).Distinct(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var x = a.Aggregate.FirstOrDefault(t => t.TriggerId == id);
            var y = b.Aggregate.FirstOrDefault(t => t.TriggerId == id);
            output.WriteLine(Text(
                $"{id,-28} {Cell(x, t => t.Fires.ToString(CultureInfo.InvariantCulture)),8} {Cell(y, t => t.Fires.ToString(CultureInfo.InvariantCulture)),8} {Cell(x, t => t.FiresPerHour.ToString("F1", CultureInfo.InvariantCulture)),10} {Cell(y, t => t.FiresPerHour.ToString("F1", CultureInfo.InvariantCulture)),10} {Cell(x, t => (t.ClipBytesPerHour / 1e6).ToString("F1", CultureInfo.InvariantCulture)),8} {Cell(y, t => (t.ClipBytesPerHour / 1e6).ToString("F1", CultureInfo.InvariantCulture)),8} {Cell(x, t => Share(t.Recall)),8} {Cell(y, t => Share(t.Recall)),8} {Cell(x, t => Suppressed(t).ToString(CultureInfo.InvariantCulture)),8} {Cell(y, t => Suppressed(t).ToString(CultureInfo.InvariantCulture)),8}"));
        }
    }

    private static long Suppressed(TriggerSummary t) =>
        t.Counters.SuppressedCooldown + t.Counters.SuppressedBudget + t.Counters.SuppressedSampling + t.Counters.SuppressedDuplicate;

    private static string Cell(TriggerSummary? t, Func<TriggerSummary, string> value) => t is null ? "absent" : value(t);

    private static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? t.ToString(@"h\:mm\:ss\.f", CultureInfo.InvariantCulture)
        : t.ToString(@"m\:ss\.f", CultureInfo.InvariantCulture);

    private static string Share(double? value) => value is { } v ? v.ToString("P0", CultureInfo.InvariantCulture) : "-";

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
