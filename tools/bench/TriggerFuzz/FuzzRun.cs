using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DataCentric.Edge.Bench.TriggerFuzz;

/// <summary>
/// Runs sets [Start, Start + Count) on worker threads under a watchdog. A set past the time limit is a
/// hang: its worker is cancelled (the engine loop checks the token between ticks), abandoned (parse and
/// compile take no token, so a worker stuck there cannot be stopped) and replaced by a fresh one.
/// </summary>
internal sealed class FuzzRun(FuzzOptions options)
{
    private const int MaxAbandoned = 64;
    private const int SlowestKept = 10;
    private const int InputsKeptPerGroup = 20;

    private readonly Lock _gate = new();
    private readonly long[] _counts = new long[Enum.GetValues<Outcome>().Length];
    private readonly Dictionary<string, CrashGroup> _crashes = new(StringComparer.Ordinal);
    private readonly List<Hang> _hangs = [];
    private readonly List<Unclear> _unclear = [];
    private readonly List<(double Ms, long Index, Outcome Outcome, string Mutations)> _slowest = [];
    private readonly Dictionary<string, long[]> _byMutation = new(StringComparer.Ordinal);
    private readonly List<Worker> _workers = [];
    private long _next;
    private long _done;
    private int _abandonedRunning;

    public TimeSpan Elapsed { get; private set; }

    public long Completed => Interlocked.Read(ref _done);

    public bool Failed => _counts[(int)Outcome.Crash] + _counts[(int)Outcome.Hang] + _counts[(int)Outcome.UnclearRefusal] > 0;

    public bool StoppedEarly { get; private set; }

    public void Run(TextWriter log)
    {
        _next = options.Start;
        var end = options.Start + options.Count;
        var limitTicks = options.TimeLimitMs * Stopwatch.Frequency / 1000;
        var total = Stopwatch.StartNew();
        lock (_gate)
        {
            for (var i = 0; i < options.Threads; i++)
            {
                StartWorker(end);
            }
        }

        var nextReport = options.Count / 10;
        var pause = TimeSpan.FromMilliseconds(Math.Clamp(options.TimeLimitMs / 4, 1, 50));
        while (Completed < options.Count)
        {
            Thread.Sleep(pause);
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                foreach (var worker in _workers.ToArray())
                {
                    var started = worker.Started;
                    if (worker.Abandoned || started == 0 || now - started <= limitTicks)
                    {
                        continue;
                    }

                    worker.Abandoned = true;
                    worker.Cancel.Cancel();
                    _counts[(int)Outcome.Hang]++;
                    _hangs.Add(new Hang(worker.Index, worker.Input!.Mutations, (now - started) * 1000.0 / Stopwatch.Frequency));
                    Tally(worker.Input!.Mutations, Outcome.Hang);
                    Interlocked.Increment(ref _done);
                    _abandonedRunning++;
                    _workers.Remove(worker);
                    if (_abandonedRunning > MaxAbandoned)
                    {
                        StoppedEarly = true;
                    }
                    else
                    {
                        StartWorker(end);
                    }
                }
            }

            if (StoppedEarly)
            {
                log.WriteLine($"stopping: more than {MaxAbandoned} sets are still running past the time limit");
                break;
            }

            if (options.Count >= 10 && Completed >= nextReport)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Completed,8} / {options.Count} sets, {total.Elapsed.TotalSeconds,6:F1} s, crashes {_counts[(int)Outcome.Crash]}, hangs {_counts[(int)Outcome.Hang]}"));
                nextReport += options.Count / 10;
            }
        }

        Elapsed = total.Elapsed;
    }

    private void StartWorker(long end)
    {
        var worker = new Worker();
        _workers.Add(worker);
        var thread = new Thread(() => Work(worker, end)) { IsBackground = true, Name = "fuzz worker" };
        thread.Start();
    }

    private void Work(Worker worker, long end)
    {
        while (true)
        {
            var index = Interlocked.Increment(ref _next) - 1;
            if (index >= end)
            {
                return;
            }

            var input = HostileSetGenerator.Generate(options.Seed, index);
            lock (_gate)
            {
                worker.Index = index;
                worker.Input = input;
                worker.Started = Stopwatch.GetTimestamp();
            }

            var result = SetRunner.Run(input, options.Ticks, worker.Cancel.Token);
            var ms = (Stopwatch.GetTimestamp() - worker.Started) * 1000.0 / Stopwatch.Frequency;
            lock (_gate)
            {
                if (worker.Abandoned)
                {
                    // Already counted as a hang by the watchdog; note when (and how) it finished, then retire.
                    var hang = _hangs.FindLast(h => h.Index == index)!;
                    hang.FinishedAfterMs = ms;
                    hang.LateOutcome = result.Outcome == Outcome.Hang ? "cancelled between ticks" : result.Outcome.ToString();
                    _abandonedRunning--;
                    return;
                }

                worker.Started = 0;
                Record(input, result, ms);
            }

            Interlocked.Increment(ref _done);
        }
    }

    private void Record(HostileInput input, SetResult result, double ms)
    {
        _counts[(int)result.Outcome]++;
        Tally(input.Mutations, result.Outcome);
        switch (result.Outcome)
        {
            case Outcome.Crash:
                var error = result.Error!;
                // Type and where it was thrown: one type from two places is two findings.
                var key = $"{error.GetType().FullName} {error.StackTrace?.Split('\n')[0].Trim().Split('(')[0]}";
                if (!_crashes.TryGetValue(key, out var group))
                {
                    group = new CrashGroup(error.GetType().FullName ?? error.GetType().Name, key, FirstLine(error.Message), error.ToString());
                    _crashes[key] = group;
                }

                group.Count++;
                if (group.Inputs.Count < InputsKeptPerGroup)
                {
                    group.Inputs.Add(input.Index);
                    Write(Path.Combine("crashes", Safe(group.Type)), input, error.ToString());
                }

                break;
            case Outcome.UnclearRefusal:
                if (_unclear.Count < InputsKeptPerGroup)
                {
                    _unclear.Add(new Unclear(input.Index, result.Detail!));
                    Write("unclear-refusals", input, result.Detail!);
                }

                break;
        }

        if (_slowest.Count < SlowestKept || ms > _slowest[^1].Ms)
        {
            _slowest.Add((ms, input.Index, result.Outcome, input.Mutations));
            _slowest.Sort((a, b) => b.Ms.CompareTo(a.Ms));
            if (_slowest.Count > SlowestKept)
            {
                _slowest.RemoveAt(SlowestKept);
            }
        }
    }

    private void Tally(string mutations, Outcome outcome)
    {
        foreach (var name in mutations.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(m => m.Split('(')[0]).Distinct())
        {
            if (!_byMutation.TryGetValue(name, out var counts))
            {
                counts = new long[_counts.Length];
                _byMutation[name] = counts;
            }

            counts[(int)outcome]++;
        }
    }

    /// <summary>The report; also writes the inputs of hangs and of the slowest sets (regenerated from their index).</summary>
    public string Report()
    {
        lock (_gate)
        {
            var text = new StringBuilder();
            var inv = CultureInfo.InvariantCulture;
            var done = Completed;
            text.AppendLine(inv, $"trigger fuzz: seed {options.Seed}, sets {options.Start}..{options.Start + options.Count - 1}, {options.Threads} threads, time limit {options.TimeLimitMs} ms/set, {options.Ticks} ticks per accepted set");
            text.AppendLine(inv, $"sets run:        {done}{(StoppedEarly ? " (stopped early)" : string.Empty)}");
            foreach (var outcome in Enum.GetValues<Outcome>())
            {
                var label = outcome switch
                {
                    Outcome.Accepted => "accepted",
                    Outcome.Refused => "refused",
                    Outcome.UnclearRefusal => "unclear refusal",
                    Outcome.Crash => "crash",
                    _ => "hang",
                };
                text.AppendLine(inv, $"  {label,-16}{_counts[(int)outcome],9}  ({100.0 * _counts[(int)outcome] / Math.Max(1, done):F2} %)");
            }

            text.AppendLine(inv, $"total time:      {Elapsed.TotalSeconds:F1} s, {done / Math.Max(Elapsed.TotalSeconds, 1e-9):F0} sets/s");
            text.AppendLine();
            text.AppendLine("by mutation (a set can carry several):                accepted    refused    crash     hang");
            foreach (var (name, counts) in _byMutation.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                text.AppendLine(inv, $"  {name,-50}{counts[(int)Outcome.Accepted],10} {counts[(int)Outcome.Refused],10} {counts[(int)Outcome.Crash],8} {counts[(int)Outcome.Hang],8}");
            }

            text.AppendLine();
            text.AppendLine(inv, $"crashes: {_counts[(int)Outcome.Crash]} in {_crashes.Count} exception type(s)");
            foreach (var group in _crashes.Values.OrderByDescending(g => g.Count))
            {
                text.AppendLine(inv, $"  {group.Key} x{group.Count}: {group.FirstMessage}");
                text.AppendLine(inv, $"    inputs (crashes/{Safe(group.Type)}/): {string.Join(", ", group.Inputs)}");
                text.AppendLine(inv, $"    first stack: {string.Join(" | ", group.Stack.Split('\n').Skip(1).Take(4).Select(l => l.Trim()))}");
            }

            text.AppendLine(inv, $"hangs: {_counts[(int)Outcome.Hang]}");
            foreach (var hang in _hangs)
            {
                var input = HostileSetGenerator.Generate(options.Seed, hang.Index);
                Write("hangs", input, $"past {options.TimeLimitMs} ms; mutations {hang.Mutations}");
                var late = hang.FinishedAfterMs is { } after ? $"finished after {after:F0} ms ({hang.LateOutcome})" : "still running at the end";
                text.AppendLine(inv, $"  set {hang.Index} [{hang.Mutations}] past the limit at {hang.DetectedAtMs:F0} ms, {late}: hangs/{hang.Index}.{input.Extension}");
            }

            if (_unclear.Count > 0)
            {
                text.AppendLine(inv, $"unclear refusals: {_counts[(int)Outcome.UnclearRefusal]}");
                foreach (var unclear in _unclear)
                {
                    text.AppendLine(inv, $"  set {unclear.Index}: {unclear.Detail}");
                }
            }

            text.AppendLine();
            text.AppendLine("slowest sets:");
            foreach (var (ms, index, outcome, mutations) in _slowest)
            {
                var input = HostileSetGenerator.Generate(options.Seed, index);
                Write("slowest", input, $"{ms:F1} ms, {outcome}");
                text.AppendLine(inv, $"  {ms,8:F1} ms  set {index,7}  {outcome,-9} {input.Text.Length,7} chars {input.Extension}  [{Shorten(mutations, 70)}]");
            }

            return text.ToString();
        }
    }

    private void Write(string folder, HostileInput input, string note)
    {
        var directory = Path.Combine(options.Output, folder);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, $"{input.Index}.{input.Extension}"), input.Text);
        File.WriteAllText(Path.Combine(directory, $"{input.Index}.txt"), $"seed {options.Seed} set {input.Index} ({input.Format}): reproduce with --seed {options.Seed} --only {input.Index}\nmutations: {input.Mutations}\n{note}\n");
    }

    private static string FirstLine(string message) => Shorten(message.Split('\n')[0].Trim(), 200);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));

    private sealed class Worker
    {
        public long Index { get; set; } = -1;

        public HostileInput? Input { get; set; }

        public long Started { get; set; }

        public bool Abandoned { get; set; }

        public CancellationTokenSource Cancel { get; } = new();
    }

    private sealed class CrashGroup(string type, string key, string firstMessage, string stack)
    {
        public string Type { get; } = type;

        public string Key { get; } = key;

        public string FirstMessage { get; } = firstMessage;

        public string Stack { get; } = stack;

        public long Count { get; set; }

        public List<long> Inputs { get; } = [];
    }

    private sealed record Hang(long Index, string Mutations, double DetectedAtMs)
    {
        public double? FinishedAfterMs { get; set; }

        public string? LateOutcome { get; set; }
    }

    private sealed record Unclear(long Index, string Detail);
}
