namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>The console's log lines, ids 5700-5719.</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 5700, Level = LogLevel.Information, Message = "Web console at {Url}")]
    public static partial void Ready(ILogger logger, string url);

    [LoggerMessage(EventId = 5701, Level = LogLevel.Debug, Message = "Live device stream opened for token {TokenName} ({Open} open)")]
    public static partial void StreamOpened(ILogger logger, string tokenName, int open);

    [LoggerMessage(EventId = 5702, Level = LogLevel.Debug, Message = "Live device stream closed for token {TokenName}")]
    public static partial void StreamClosed(ILogger logger, string tokenName);

    [LoggerMessage(EventId = 5703, Level = LogLevel.Warning, Message = "Clip {ClipId} cannot be shown: {Reason}")]
    public static partial void ClipUnreadable(ILogger logger, string clipId, string reason);

    [LoggerMessage(EventId = 5704, Level = LogLevel.Warning, Message = "Clip {ClipId} could not be encoded to MP4: {Reason}")]
    public static partial void Mp4Failed(ILogger logger, string clipId, string reason);
}
