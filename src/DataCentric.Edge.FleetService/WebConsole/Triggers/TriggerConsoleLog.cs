namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>The Triggers page's and editor's log lines, ids 5720-5739.</summary>
internal static partial class TriggerConsoleLog
{
    [LoggerMessage(EventId = 5720, Level = LogLevel.Information, Message = "Trigger set version {Version} for {Topic} proposed by {TokenName} ({ProposalId})")]
    public static partial void Proposed(ILogger logger, int version, string topic, string tokenName, string proposalId);

    [LoggerMessage(EventId = 5721, Level = LogLevel.Information, Message = "Proposal {ProposalId} approved by {TokenName}: version {Version} published on {Topic}")]
    public static partial void Approved(ILogger logger, string proposalId, string tokenName, int version, string topic);

    [LoggerMessage(EventId = 5722, Level = LogLevel.Information, Message = "Proposal {ProposalId} rejected by {TokenName}: {Reason}")]
    public static partial void Rejected(ILogger logger, string proposalId, string tokenName, string reason);

    [LoggerMessage(EventId = 5723, Level = LogLevel.Information, Message = "Backtest {BacktestId} for {TokenName}: {Clips} clips, {State}")]
    public static partial void BacktestFinished(ILogger logger, string backtestId, string tokenName, int clips, string state);

    [LoggerMessage(EventId = 5724, Level = LogLevel.Warning, Message = "Backtest {BacktestId} skipped clip {ClipId}: {Reason}")]
    public static partial void BacktestClipSkipped(ILogger logger, string backtestId, string clipId, string reason);

    [LoggerMessage(EventId = 5725, Level = LogLevel.Information, Message = "Rollback of {Fleet}/{DeviceId} asked by {TokenName}: {Outcome}")]
    public static partial void RolledBack(ILogger logger, string fleet, string deviceId, string tokenName, string outcome);

    [LoggerMessage(EventId = 5726, Level = LogLevel.Warning, Message = "Board signals file {Path} cannot be read: {Reason}")]
    public static partial void BoardUnreadable(ILogger logger, string path, string reason);
}
