namespace DataCentric.Edge.FleetService.WebConsole.Pulls;

/// <summary>The pull page's log lines, ids 5780-5789.</summary>
internal static partial class PullConsoleLog
{
    [LoggerMessage(EventId = 5780, Level = LogLevel.Debug, Message = "Live pull stream of fleet {Fleet} opened for token {TokenName}")]
    public static partial void StreamOpened(ILogger logger, string tokenName, string fleet);

    [LoggerMessage(EventId = 5781, Level = LogLevel.Debug, Message = "Live pull stream of fleet {Fleet} closed for token {TokenName}")]
    public static partial void StreamClosed(ILogger logger, string tokenName, string fleet);
}
