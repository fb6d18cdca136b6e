using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Language;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>
/// Evaluates the active trigger set once per tick over the signal bus. A trigger fires on the
/// rising edge of its condition, then passes cooldown, sampling, near-duplicate and budget gates;
/// everything that fires on one tick becomes one event. A tick allocates nothing unless something
/// fires. The engine follows an <see cref="ActiveTriggerSet"/> (which owns activation, the version
/// rule and rollback) until disposed. <see cref="Evaluate"/> is called from one thread; the set may
/// change from others.
/// </summary>
public sealed class TriggerEngine : IDisposable
{
    private readonly ActiveTriggerSet _sets;
    private readonly SignalBus _bus;
    private readonly MonotonicClock _clock;
    private readonly TriggerEngineOptions _options;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;

    // Every trigger id this engine has run, by id: written only while a set is installed (one at a
    // time, under the active set's lock), read through the installed runtimes.
    private readonly Dictionary<string, TriggerTally> _tallies = new(StringComparer.Ordinal);

    // Installed by the subscription, first with the set active when the engine is made.
    private volatile InstalledSet _active = null!;

    /// <summary>An engine on a set of its own (a backtest, a check); <see cref="Activate"/> moves it forward.</summary>
    public TriggerEngine(CompiledTriggerSet set, SignalBus bus, MonotonicClock clock, TriggerEngineOptions? options = null, ILogger<TriggerEngine>? logger = null)
        : this(new ActiveTriggerSet(set ?? throw new ArgumentNullException(nameof(set))), bus, clock, options, logger)
    {
    }

    /// <summary>An engine on the device's active set: it evaluates whichever set <paramref name="sets"/> has active.</summary>
    public TriggerEngine(ActiveTriggerSet sets, SignalBus bus, MonotonicClock clock, TriggerEngineOptions? options = null, ILogger<TriggerEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(clock);
        _sets = sets;
        _bus = bus;
        _clock = clock;
        _options = options ?? new TriggerEngineOptions();
        _random = _options.Random ?? Random.Shared;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        CountingSince = clock.ToWallClock(clock.Now);
        _subscription = sets.Subscribe(Install);
    }

    public CompiledTriggerSet ActiveSet => _active.Set;

    /// <summary>When the engine was made: its counters count from here (wall clock, for reports).</summary>
    public DateTimeOffset CountingSince { get; }

    /// <summary>
    /// Activates a newer set through the engine's <see cref="ActiveTriggerSet"/>, which the engine
    /// follows: triggers whose id and condition are unchanged keep their temporal state; every
    /// trigger whose id stays keeps its cooldown and budgets. Counters are kept by id for the engine's
    /// life, whatever the set (<see cref="GetCounters"/>).
    /// </summary>
    /// <exception cref="TriggerSetRejectedException">The set's version is not newer than the active one; the active set stays.</exception>
    public void Activate(CompiledTriggerSet set) => _sets.Activate(set);

    /// <summary>Stops following the active set.</summary>
    public void Dispose() => _subscription.Dispose();

    /// <summary>
    /// The counters of the active set's triggers: cumulative since <see cref="CountingSince"/> and never
    /// reset, not by a newer set nor by a rollback (a trigger that leaves the set and comes back
    /// carries on from where it stopped), so rates are differences between two readings.
    /// </summary>
    public IReadOnlyList<TriggerCounters> GetCounters() => Counters(_active);

    /// <summary>The active set's version and its triggers' counters (<see cref="GetCounters"/>), read from one set.</summary>
    public TriggerCountersSnapshot ReadCounters()
    {
        var active = _active;
        return new TriggerCountersSnapshot(active.Set.Version, CountingSince, Counters(active));
    }

    /// <summary>Evaluates every trigger once; returns the event to record, if any (dry-run fires are counted and logged only).</summary>
    public TriggerEvent? Evaluate(TimeSpan now) => EvaluateTick(now).Event;

    /// <summary>Evaluates every trigger once; returns the event to record and the dry-run event, if any.</summary>
    public TriggerTick EvaluateTick(TimeSpan now)
    {
        var active = _active;
        CheckAvailability(active);
        var instant = Snapshot(active, now);
        var instantSeconds = instant.TotalSeconds;
        List<TriggerHit>? hits = null;
        List<TriggerHit>? dryHits = null;
        foreach (var runtime in active.Triggers)
        {
            var trigger = runtime.Trigger;
            if (!trigger.Enabled || runtime.DisabledReason is not null)
            {
                continue;
            }

            var ledger = runtime.Ledger;
            var counts = ledger.Counts;
            counts.Evaluations++;
            if (!AllFresh(trigger.Slots, active.Fresh))
            {
                counts.MissingSignal++;
                runtime.MarkMissing();
                continue;
            }

            runtime.Missing = false;
            var level = trigger.Condition(active.Frame, runtime.States);
            var rising = level && !runtime.LastLevel;
            runtime.LastLevel = level;
            if (!rising || !Accept(runtime, ledger, instantSeconds, active))
            {
                continue;
            }

            if (trigger.DryRun)
            {
                counts.DryRunFires++;
                TriggerEngineLog.DryRunFired(_logger, trigger.Id, instant);
                (dryHits ??= []).Add(runtime.Hit);
            }
            else
            {
                TriggerEngineLog.Fired(_logger, trigger.Id, instant);
                (hits ??= []).Add(runtime.Hit);
            }
        }

        return new TriggerTick(MakeEvent(hits, instant, active, dryRun: false), MakeEvent(dryHits, instant, active, dryRun: true), instant);
    }

    /// <summary>
    /// Swaps in the set now active, atomically between ticks. Only a newer set carries state over; a
    /// set rolled back to starts afresh, as on the engine's first set, so no state goes back in version
    /// (the counters carry on: they are a record of what happened, not state).
    /// </summary>
    private void Install(TriggerSetChange change)
    {
        var next = Build(change.Set, change.Kind == TriggerSetChangeKind.Activated ? _active : null);
        _active = next;
        TriggerEngineLog.SetActivated(_logger, change.Set.Version, change.Set.Triggers.Count, next.Kept);
    }

    /// <summary>Disables triggers that read a signal known not to come (its model failed), with the reason.</summary>
    private void CheckAvailability(InstalledSet active)
    {
        var availability = _bus.Availability;
        var version = availability.Version;
        if (version == active.AvailabilityVersion)
        {
            return;
        }

        active.AvailabilityVersion = version;
        foreach (var runtime in active.Triggers)
        {
            if (runtime.DisabledReason is null && availability.ReasonFor(runtime.Trigger.Signals) is { } reason)
            {
                runtime.DisabledReason = reason;
                TriggerEngineLog.Disabled(_logger, runtime.Trigger.Id, reason);
            }
        }
    }

    private bool Accept(TriggerRuntime runtime, TriggerLedger ledger, double now, InstalledSet active)
    {
        var trigger = runtime.Trigger;
        var counts = ledger.Counts;
        counts.RisingEdges++;
        if (!Language.TimeMath.AtLeast(now - ledger.LastFire, trigger.Cooldown.TotalSeconds))
        {
            counts.SuppressedCooldown++;
            return false;
        }

        if (trigger.SampleRate < 1 && _random.NextDouble() >= trigger.SampleRate)
        {
            counts.SuppressedSampling++;
            return false;
        }

        var embedding = trigger.MinNovelty is null ? null : active.LatestEmbedding(_bus);
        if (embedding is not null && ledger.RecentClips.Count > 0 &&
            ledger.RecentClips.NearestDistance(embedding) < trigger.MinNovelty)
        {
            counts.SuppressedDuplicate++;
            return false;
        }

        var bytes = runtime.ClipBytes;
        if (!ledger.WithinBudget(now, trigger.MaxPerHour, trigger.MaxBytesPerDay, bytes))
        {
            counts.SuppressedBudget++;
            return false;
        }

        ledger.RecordFire(now, trigger.MaxPerHour, bytes);
        if (embedding is not null)
        {
            ledger.RecentClips.Add(embedding);
        }

        counts.Fires++;
        return true;
    }

    private TriggerEvent? MakeEvent(List<TriggerHit>? hits, TimeSpan now, InstalledSet active, bool dryRun) =>
        hits is null
            ? null
            : new TriggerEvent(Guid.CreateVersion7().ToString("N"), hits, now, _clock.ToWallClock(now), active.Set.Version, dryRun);

    private static bool AllFresh(int[] slots, bool[] fresh)
    {
        foreach (var slot in slots)
        {
            if (!fresh[slot])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Copies every signal the set reads, as it was at the evaluation instant, into the frame once
    /// per tick; a value sampled more than the set's staleAfter before the instant is not fresh.
    /// </summary>
    private TimeSpan Snapshot(InstalledSet active, TimeSpan now)
    {
        var instant = EvaluationInstant(active, now);
        var frame = active.Frame;
        frame.Now = instant.TotalSeconds;

        // Locals, not properties: this loop runs for every signal on every tick.
        var ids = frame.Ids;
        var numbers = frame.Numbers;
        var refs = frame.Refs;
        var times = frame.Times;
        var fresh = active.Fresh;
        var resolved = active.Resolved;
        var staleAfter = active.Set.StaleAfter;
        for (var slot = 0; slot < ids.Length; slot++)
        {
            fresh[slot] = false;
            if (!resolved[slot] && !TryResolve(active, slot))
            {
                continue;
            }

            if (_bus.TryGetAt(ids[slot], instant, out var sample))
            {
                numbers[slot] = sample.Value.Number;
                refs[slot] = sample.Value.Reference;
                times[slot] = sample.Time.TotalSeconds;
                fresh[slot] = instant - sample.Time <= staleAfter;
            }
        }

        return instant;
    }

    /// <summary>
    /// The instant a set is evaluated at: model outputs carry the capture time of their frame, so
    /// comparing them with the controller's latest decision would compare different moments. The
    /// set is evaluated at the newest frame that all its fresh model outputs cover (the oldest of
    /// their latest samples), or now when it reads none; it never moves back.
    /// </summary>
    private TimeSpan EvaluationInstant(InstalledSet active, TimeSpan now)
    {
        var instant = now;
        var staleAfter = active.Set.StaleAfter;
        foreach (var slot in active.ModelOutputSlots)
        {
            if ((active.Resolved[slot] || TryResolve(active, slot)) &&
                _bus.TryGetLatest(active.Frame.Ids[slot], out var sample) &&
                now - sample.Time <= staleAfter && sample.Time < instant)
            {
                instant = sample.Time;
            }
        }

        instant = instant < active.LastInstant ? active.LastInstant : instant;
        active.LastInstant = instant;
        return instant;
    }

    /// <summary>A source may register its signal after the set was installed; look again each tick until it has.</summary>
    private bool TryResolve(InstalledSet active, int slot)
    {
        var (name, kind) = active.Set.Signals[slot];
        if (!_bus.TryGetId(name, out var id) || _bus.KindOf(id) != kind)
        {
            return false;
        }

        active.Frame.Ids[slot] = id;
        active.Resolved[slot] = true;
        return true;
    }

    private static List<TriggerCounters> Counters(InstalledSet active) =>
        [.. active.Triggers.Select(t => t.Ledger.Counts.Snapshot() with { DisabledReason = t.DisabledReason })];

    private TriggerTally TallyOf(string triggerId)
    {
        if (!_tallies.TryGetValue(triggerId, out var tally))
        {
            tally = new TriggerTally(triggerId);
            _tallies.Add(triggerId, tally);
        }

        return tally;
    }

    private InstalledSet Build(CompiledTriggerSet set, InstalledSet? previous)
    {
        var context = new TemporalContext(
            Math.Max(1, Math.Min(set.Limits.MaxHistorySamples, _bus.HistoryCapacity)),
            Math.Max(1, set.Limits.NoveltyReferenceSize));
        var kept = 0;
        var runtimes = new TriggerRuntime[set.Triggers.Count];
        for (var i = 0; i < runtimes.Length; i++)
        {
            var trigger = set.Triggers[i];
            var old = previous?.Triggers.FirstOrDefault(t => t.Trigger.Id == trigger.Id);
            var ledger = old?.Ledger ?? new TriggerLedger(trigger.Id, context.NoveltyReferenceSize, TallyOf(trigger.Id));
            var bytes = _options.EstimateClipBytes?.Invoke(trigger)
                ?? (long)((trigger.Pre + trigger.Post).TotalSeconds * _options.EstimatedClipBytesPerSecond);
            var sameCondition = old is not null && old.Trigger.Expression == trigger.Expression &&
                old.Trigger.Signals.SequenceEqual(trigger.Signals) && old.States.Length == trigger.StateFactories.Count;
            runtimes[i] = sameCondition
                ? new TriggerRuntime(trigger, old!.States, ledger, bytes) { LastLevel = old.LastLevel, Missing = old.Missing }
                : new TriggerRuntime(trigger, trigger.CreateState(context), ledger, bytes);
            kept += sameCondition ? 1 : 0;
        }

        // A new set carries on at the instant the old one reached: kept temporal state never sees time go back.
        return new InstalledSet(set, new EvalFrame(_bus, set.Signals.Count), runtimes, kept)
        {
            LastInstant = previous?.LastInstant ?? TimeSpan.MinValue,
        };
    }
}
