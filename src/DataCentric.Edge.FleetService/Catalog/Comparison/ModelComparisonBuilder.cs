namespace DataCentric.Edge.FleetService.Catalog.Comparison;

/// <summary>
/// Builds a <see cref="ModelComparison"/> from the rows a catalog streams in (agent runs, events, clips,
/// import reports); both catalogs share it so the attribution rules are written once.
/// Rows of devices that did not report the model are ignored.
/// </summary>
internal sealed class ModelComparisonBuilder
{
    private readonly ModelComparisonQuery _query;
    private readonly Dictionary<(string Fleet, string Device), ModelTimeline> _timelines = [];
    private readonly Dictionary<string, int> _versionOfSha = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedDictionary<int, VersionTally> _versions = [];
    private double _unattributedHours;
    private long _unattributedEvents;
    private long _unattributedClips;

    /// <param name="query">Validated.</param>
    /// <param name="acks">The model's acks on the query's fleet and device; filtered here by the query's devices.</param>
    public ModelComparisonBuilder(ModelComparisonQuery query, IEnumerable<CatalogModelRelease> acks)
    {
        _query = query;
        var devices = query.Devices?.ToHashSet(StringComparer.Ordinal);
        var kept = acks.Where(a => devices is null || devices.Contains(a.Device)).ToList();
        foreach (var group in kept.GroupBy(a => (a.Fleet, a.Device)))
        {
            _timelines[group.Key] = new ModelTimeline(group);
        }

        foreach (var ack in kept)
        {
            Know(ack.Version, ack.Sha256);
            Know(ack.ActiveVersion, ack.ActiveSha256);
        }
    }

    /// <summary>False when no device of the query reported the model.</summary>
    public bool HasDevices => _timelines.Count > 0;

    /// <summary>The device ids to read rows for (a catalog narrows its reads with them; fleets are checked here).</summary>
    public string[] DeviceIds => [.. _timelines.Keys.Select(k => k.Device).Distinct(StringComparer.Ordinal)];

    /// <summary>An agent run: from its start to its last counter report; the part inside the window counts.</summary>
    public void AddRun(string fleet, string device, DateTimeOffset start, DateTimeOffset end)
    {
        if (!_timelines.TryGetValue((fleet, device), out var timeline))
        {
            return;
        }

        var (windowStart, windowEnd) = _query.Bounds;
        var (from, to) = (Max(start, windowStart), Min(end, windowEnd));
        foreach (var (version, span) in timeline.Split(from, to))
        {
            if (version == 0)
            {
                _unattributedHours += span.TotalHours;
            }
            else
            {
                var tally = Tally(version);
                tally.Hours += span.TotalHours;
                tally.Devices.Add((fleet, device));
            }
        }
    }

    /// <param name="clipShas">The model hashes of the event's clip; empty when the event has no catalogued clip.</param>
    public void AddEvent(string fleet, string device, DateTimeOffset wallClock, IReadOnlyList<string> triggers, bool dryRun, IReadOnlyList<string> clipShas)
    {
        if (_timelines.TryGetValue((fleet, device), out var timeline) && InWindow(wallClock))
        {
            var version = VersionOf(clipShas) ?? timeline.VersionAt(wallClock);
            if (version == 0)
            {
                _unattributedEvents++;
                return;
            }

            var tally = Tally(version);
            tally.Devices.Add((fleet, device));
            tally.Events++;
            foreach (var trigger in triggers.Distinct(StringComparer.Ordinal))
            {
                var t = tally.Trigger(trigger);
                t.Events++;
                t.DryRun += dryRun ? 1 : 0;
            }
        }
    }

    public void AddClip(string fleet, string device, DateTimeOffset start, IReadOnlyList<string> triggers, IReadOnlyList<string> shas)
    {
        if (_timelines.TryGetValue((fleet, device), out var timeline) && InWindow(start))
        {
            var version = VersionOf(shas) ?? (shas.Count == 0 ? timeline.VersionAt(start) : 0);
            if (version == 0)
            {
                _unattributedClips++;
                return;
            }

            var tally = Tally(version);
            tally.Devices.Add((fleet, device));
            tally.Clips++;
            foreach (var trigger in triggers.Distinct(StringComparer.Ordinal))
            {
                tally.Trigger(trigger).Clips++;
            }
        }
    }

    /// <summary>The stored import reports (any order); the latest of each dataset gives the reviewed figures.</summary>
    public void AddReports(IEnumerable<DatasetReport> reports)
    {
        var latest = ReviewedTally.LatestPerDataset(reports);
        foreach (var (version, sha) in _versions.Select(v => (v.Key, v.Value.Sha256)).ToList())
        {
            if (sha is not null)
            {
                foreach (var (reportId, byModel) in latest)
                {
                    Tally(version).Reviewed.Add(reportId, byModel, sha);
                }
            }
        }
    }

    public ModelComparison Build()
    {
        var versions = _versions.Reverse().Select(v => v.Value.ToFigures(v.Key)).ToList();
        return new ModelComparison(
            _query.Name, _query.Fleet, _query.From, _query.To, _timelines.Count, versions,
            Math.Round(_unattributedHours, 6), _unattributedEvents, _unattributedClips);
    }

    private void Know(int version, string? sha)
    {
        if (version <= 0)
        {
            return;
        }

        var tally = Tally(version);
        if (sha is not null)
        {
            tally.Sha256 ??= sha;
            _versionOfSha.TryAdd(sha, version);
        }
    }

    private int? VersionOf(IReadOnlyList<string> shas)
    {
        foreach (var sha in shas)
        {
            if (_versionOfSha.TryGetValue(sha, out var version))
            {
                return version;
            }
        }

        return null;
    }

    private bool InWindow(DateTimeOffset time)
    {
        var (start, end) = _query.Bounds;
        return time >= start && time < end;
    }

    private VersionTally Tally(int version)
    {
        if (!_versions.TryGetValue(version, out var tally))
        {
            _versions[version] = tally = new VersionTally();
        }

        return tally;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed class VersionTally
    {
        private readonly SortedDictionary<string, TriggerTally> _triggers = new(StringComparer.Ordinal);

        public string? Sha256 { get; set; }

        public HashSet<(string Fleet, string Device)> Devices { get; } = [];

        public double Hours { get; set; }

        public long Events { get; set; }

        public long Clips { get; set; }

        public ReviewedTally Reviewed { get; } = new();

        public TriggerTally Trigger(string id)
        {
            if (!_triggers.TryGetValue(id, out var tally))
            {
                _triggers[id] = tally = new TriggerTally();
            }

            return tally;
        }

        public ModelVersionFigures ToFigures(int version)
        {
            var hours = Math.Round(Hours, 6);
            return new ModelVersionFigures(
                version, Sha256, Devices.Count, hours, Events, Clips,
                [.. _triggers.Select(t => new TriggerFigures(t.Key, t.Value.Events, t.Value.DryRun, t.Value.Clips, Rates.PerHour(t.Value.Events, hours), Rates.PerHour(t.Value.Clips, hours)))],
                Reviewed.ToFigures());
        }
    }

    private sealed class TriggerTally
    {
        public long Events { get; set; }

        public long DryRun { get; set; }

        public long Clips { get; set; }
    }
}
