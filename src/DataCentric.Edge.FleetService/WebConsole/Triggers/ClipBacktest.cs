using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Backtest;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.ObjectStore;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>
/// A set replayed on the clips the fleet stores, the way <c>edgectl triggers test</c> replays drives: each
/// clip's MCAP read as a <see cref="RecordedDrive"/>, the set compiled against that clip's signals and run
/// through Core's <see cref="TriggerBacktest"/> (the real engine), clip bytes per second measured from the
/// catalogued clip sizes, ground truth from a boolean signal where the clip has it. dce-fleet holds clips,
/// not whole drives: clips are moments the devices' triggers chose, so the rates are over the clips' time.
/// </summary>
internal sealed class ClipBacktest(IFleetQueries queries, IClipObjectStore store, IOptions<ConsoleOptions> console, ILogger<ClipBacktest> logger)
{
    public const string Note = "Replayed on stored clips, which are moments the devices' triggers chose, not whole drives: rates are per hour of clip time and run higher than on the road.";
    private const int MaxFires = 5000;

    public async Task RunAsync(BacktestJob job, CancellationToken cancellationToken)
    {
        var plan = job.Plan;
        var clips = await ClipsAsync(plan, cancellationToken).ConfigureAwait(false);
        job.Update(s => s with { State = BacktestStates.Running, ClipsTotal = clips.Count, Detail = $"{clips.Count} clips to replay" });
        var totals = new Dictionary<string, Totals>(StringComparer.Ordinal);
        var fires = new List<BacktestFire>();
        var skipped = new List<string>();
        double hours = 0, bytes = 0, seconds = 0;
        int? version = null;
        var truthSeen = false;
        for (var i = 0; i < clips.Count; i++)
        {
            var clip = clips[i];
            var drive = await LoadAsync(clip, cancellationToken).ConfigureAwait(false);
            if (drive.Drive is null)
            {
                Skip(job, skipped, clip.ClipId, drive.Why!);
            }
            else
            {
                var compiled = TriggerSetCompiler.Compile(plan.Source, plan.Format, drive.Drive.KnownSignals);
                if (compiled.Set is null)
                {
                    Skip(job, skipped, clip.ClipId, $"the set does not fit its signals: {string.Join("; ", compiled.Errors.Select(e => e.ToString()))}");
                }
                else
                {
                    version = compiled.Set.Version;
                    var truth = drive.Drive.KnownSignals.Any(s => s.Name == plan.TruthSignal) ? drive.Drive.GroundTruth(plan.TruthSignal) : null;
                    truthSeen |= truth is not null;
                    var clipSeconds = Math.Max((clip.EndWall - clip.StartWall).TotalSeconds, 0.001);
                    var report = TriggerBacktest.Run(compiled.Set, drive.Drive.Samples, new BacktestOptions
                    {
                        GroundTruth = truth,
                        WallClockAtStart = drive.Drive.Content.WallClockStart,
                        Engine = new TriggerEngineOptions { Random = new Random(0), EstimatedClipBytesPerSecond = (long)Math.Round(clip.SizeBytes / clipSeconds) },
                    });
                    hours += report.Duration.TotalHours;
                    bytes += clip.SizeBytes;
                    seconds += clipSeconds;
                    foreach (var t in report.Triggers)
                    {
                        var total = totals.TryGetValue(t.TriggerId, out var known) ? known : totals[t.TriggerId] = new Totals();
                        total.Add(t, report.Duration.TotalHours, truth?.Count(g => g.TriggerId is null || g.TriggerId == t.TriggerId) ?? 0);
                    }

                    foreach (var fired in report.Events.SelectMany(e => e.Triggers.Select(h => new BacktestFire(clip.ClipId, h.TriggerId, e.WallClock))).Take(MaxFires - fires.Count))
                    {
                        fires.Add(fired);
                    }
                }
            }

            job.Update(s => s with { ClipsDone = i + 1, Detail = $"replayed {i + 1} of {clips.Count} clips" });
        }

        if (version is null)
        {
            var why = clips.Count == 0 ? "no stored clip matches the fleet, device and window asked for" : $"no clip could be replayed: {string.Join("; ", skipped.Take(3))}";
            job.Update(s => s with { State = BacktestStates.Failed, Detail = why });
            return;
        }

        var perHour = Math.Max(hours, 1e-9);
        var result = new BacktestResult(
            version.Value,
            clips.Count - skipped.Count,
            hours,
            seconds > 0 ? bytes / seconds : 0,
            truthSeen,
            Note,
            [.. totals.Select(t => t.Value.Figures(t.Key, perHour))],
            [.. fires.OrderBy(f => f.At)],
            skipped);
        job.Update(s => s with { State = BacktestStates.Done, Detail = $"{result.Clips} clips, {hours * 60:0.#} minutes replayed", Result = result });
    }

    private async Task<List<CatalogClip>> ClipsAsync(BacktestPlan plan, CancellationToken cancellationToken)
    {
        var clips = new List<CatalogClip>();
        string? after = null;
        do
        {
            var page = await queries.ListClipsAsync(
                new ClipQuery { Fleet = plan.Fleet, Device = plan.Device, From = plan.From, To = plan.To, Limit = Math.Min(CatalogGuard.MaxLimit, plan.MaxClips - clips.Count), After = after },
                cancellationToken).ConfigureAwait(false);
            clips.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null && clips.Count < plan.MaxClips);
        return clips;
    }

    private async Task<(RecordedDrive? Drive, string? Why)> LoadAsync(CatalogClip clip, CancellationToken cancellationToken)
    {
        if (clip.SizeBytes > console.Value.MaxViewedClipBytes)
        {
            return (null, $"{clip.SizeBytes} bytes, over Console:MaxViewedClipBytes");
        }

        var content = await store.OpenReadAsync(clip.ObjectKey, null, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return (null, $"catalogued, but its object {clip.ObjectKey} is missing from storage");
        }

        await using (content.ConfigureAwait(false))
        {
            using var bytes = new MemoryStream((int)Math.Min(clip.SizeBytes, int.MaxValue));
            await content.Content.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
            bytes.Position = 0;
            try
            {
                return (RecordedDrive.Load(bytes), null);
            }
            catch (InvalidDataException e)
            {
                return (null, $"not a readable MCAP: {e.Message}");
            }
        }
    }

    private void Skip(BacktestJob job, List<string> skipped, string clipId, string why)
    {
        TriggerConsoleLog.BacktestClipSkipped(logger, job.Id, clipId, why);
        skipped.Add($"{clipId}: {why}");
    }

    /// <summary>One trigger over every clip: sums, and recall/precision weighted as edgectl weighs them across drives.</summary>
    private sealed class Totals
    {
        private long _fires;
        private double _bytes;
        private double _recallSum;
        private double _recallWeight;
        private double _precisionSum;
        private double _precisionWeight;
        private long _cooldown;
        private long _budget;
        private long _sampling;

        public void Add(BacktestTriggerReport t, double hours, int truthIntervals)
        {
            _fires += t.Fires;
            _bytes += t.EstimatedClipBytesPerHour * hours;
            if (t.Recall is { } recall && truthIntervals > 0)
            {
                _recallSum += recall * truthIntervals;
                _recallWeight += truthIntervals;
            }

            if (t.Precision is { } precision && t.Fires > 0)
            {
                _precisionSum += precision * t.Fires;
                _precisionWeight += t.Fires;
            }

            _cooldown += t.Counters.SuppressedCooldown;
            _budget += t.Counters.SuppressedBudget;
            _sampling += t.Counters.SuppressedSampling;
        }

        public BacktestTriggerFigures Figures(string id, double hours) => new(
            id,
            _fires,
            _fires / hours,
            _bytes / hours / (1024 * 1024),
            _recallWeight > 0 ? _recallSum / _recallWeight : null,
            _precisionWeight > 0 ? _precisionSum / _precisionWeight : null,
            _cooldown,
            _budget,
            _sampling);
    }
}
