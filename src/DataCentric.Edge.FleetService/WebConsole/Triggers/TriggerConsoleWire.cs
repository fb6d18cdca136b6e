namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>
/// A trigger set as the editor sends it. Signals come from one place: the device's announced signals
/// (<paramref name="Fleet"/> and <paramref name="Device"/>), a board's (<paramref name="Board"/>), or none
/// (then an unknown signal is a warning, as <c>edgectl triggers validate</c> without --board says).
/// </summary>
/// <param name="Format"><c>yaml</c> (default) or <c>json</c>.</param>
public sealed record TriggerSetSourceRequest(string? Source, string? Format, string? Fleet, string? Device, string? Board);

/// <summary>One problem of the set, where it is (1-based line and column of the document) and what <c>edgectl</c> prints for it.</summary>
public sealed record ConsoleDiagnostic(int Line, int Column, string? TriggerId, string Field, string Message, string? Suggestion, string Text);

/// <summary>What a trigger of a valid set may do: its budgets and windows.</summary>
public sealed record ConsoleTriggerSummary(string Id, string Expression, int? MaxPerHour, long? MaxBytesPerDay, double PreSeconds, double PostSeconds, bool DryRun, bool Enabled);

/// <summary>The editor's answer: every error and warning at its line:col, and the triggers of a valid set.</summary>
/// <param name="SignalsFrom">Which signals the set was checked against, in words.</param>
public sealed record TriggerValidation(
    bool Valid,
    int? Version,
    string SignalsFrom,
    int SignalCount,
    IReadOnlyList<ConsoleDiagnostic> Errors,
    IReadOnlyList<ConsoleDiagnostic> Warnings,
    IReadOnlyList<ConsoleTriggerSummary> Triggers);

/// <summary>Where the editor can take signals from: boards of <c>ConsoleTriggers:BoardSignalsDirectory</c> and devices that announced theirs.</summary>
public sealed record SignalSources(IReadOnlyList<string> Boards, IReadOnlyList<SignalSourceDevice> Devices);

public sealed record SignalSourceDevice(string Fleet, string Device, int SignalCount);

/// <summary>A backtest asked for: the set, and which stored clips of the fleet to replay it on.</summary>
/// <param name="MaxClips">At most this many clips, newest first (default 20).</param>
/// <param name="TruthSignal">A boolean signal that is true where the case really happened (default <c>truth.primary_missed</c>, as <c>edgectl triggers test</c>).</param>
public sealed record BacktestRequest(string? Source, string? Format, string? Fleet, string? Device, DateTimeOffset? From, DateTimeOffset? To, int? MaxClips, string? TruthSignal);

/// <summary>A backtest's state: queued, running (with clips done of total), done (with its report) or failed (with why).</summary>
public sealed record BacktestStatus(string Id, string State, int ClipsDone, int ClipsTotal, string? Detail, BacktestResult? Result);

/// <param name="Hours">The replayed clips' total duration.</param>
/// <param name="ClipBytesPerSecond">Measured: the catalogued clips' bytes over their duration.</param>
/// <param name="Note">What the figures mean: clips are moments chosen by triggers, not whole drives.</param>
public sealed record BacktestResult(
    int Version,
    int Clips,
    double Hours,
    double ClipBytesPerSecond,
    bool HasTruth,
    string Note,
    IReadOnlyList<BacktestTriggerFigures> Triggers,
    IReadOnlyList<BacktestFire> Fires,
    IReadOnlyList<string> Skipped);

/// <param name="Recall">Ground-truth stretches with a fire, over all; null without ground truth.</param>
/// <param name="Precision">Fires inside a ground-truth stretch, over all fires; null without ground truth or fires.</param>
public sealed record BacktestTriggerFigures(
    string TriggerId,
    long Fires,
    double FiresPerHour,
    double ClipMegabytesPerHour,
    double? Recall,
    double? Precision,
    long SuppressedCooldown,
    long SuppressedBudget,
    long SuppressedSampling);

/// <summary>One fire on the timeline: which clip, which trigger, when (wall clock).</summary>
public sealed record BacktestFire(string ClipId, string TriggerId, DateTimeOffset At);

/// <summary>
/// A signed trigger set waiting for approval, or what became of it. <paramref name="EnvelopeSha256"/> is
/// what an approver confirms: the approval names the exact bytes whose diff the page showed.
/// </summary>
public sealed record TriggerProposal(
    string Id,
    string State,
    string Fleet,
    string TargetScope,
    string? TargetName,
    string Topic,
    int Version,
    string KeyId,
    string EnvelopeSha256,
    string Source,
    int? PreviousVersion,
    string? PreviousSource,
    IReadOnlyList<ConsoleTriggerSummary> Triggers,
    string ProposedBy,
    DateTimeOffset ProposedAt)
{
    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Why it was rejected, or why publishing failed.</summary>
    public string? Detail { get; init; }
}

/// <summary>The approver's confirmation: the SHA-256 of the envelope whose diff the page showed.</summary>
public sealed record ProposalDecision(string? EnvelopeSha256, string? Reason);

/// <summary>A device's answer to <c>rollbackTriggers</c>, as <c>edgectl triggers rollback</c> prints it.</summary>
public sealed record ConsoleRollback(string Fleet, string Device, bool RolledBack, int ActiveVersion, string Message);
