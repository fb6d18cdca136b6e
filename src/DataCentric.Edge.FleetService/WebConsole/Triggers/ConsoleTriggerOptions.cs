namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>The Triggers page and editor (<c>ConsoleTriggers</c> section).</summary>
public sealed class ConsoleTriggerOptions
{
    public const string SectionName = "ConsoleTriggers";

    /// <summary>
    /// A folder of <c>{board}.json</c> files, each the output of <c>edgectl triggers signals --board {board} --json</c>:
    /// the signals a board's configuration publishes, worked out by the agent's own registration
    /// (dce-fleet does not carry the device's sources and models). Null: the editor checks against devices only.
    /// </summary>
    public string? BoardSignalsDirectory { get; set; }

    /// <summary>Backtests waiting to run (one runs at a time; each user may have one queued or running).</summary>
    public int BacktestQueueCapacity { get; set; } = 4;

    /// <summary>The most stored clips one backtest replays.</summary>
    public int MaxBacktestClips { get; set; } = 200;

    /// <summary>Proposals kept in memory (the oldest decided ones go first).</summary>
    public int MaxProposals { get; set; } = 200;

    /// <summary>
    /// False (default): a proposal is published only when an operator other than the one who uploaded it
    /// approves. True: its uploader may approve it too, by confirming the envelope whose diff the page showed.
    /// </summary>
    public bool AllowSelfApproval { get; set; }
}
