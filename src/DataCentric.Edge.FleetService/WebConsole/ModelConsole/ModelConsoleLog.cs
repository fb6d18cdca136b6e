namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>The Models page's log lines, ids 5780-5789.</summary>
internal static partial class ModelConsoleLog
{
    [LoggerMessage(EventId = 5780, Level = LogLevel.Information, Message = "Rollback of model {ModelName} v{Version} on {Fleet}/{DeviceId} asked by {TokenName}: {Outcome}")]
    public static partial void RolledBack(ILogger logger, string modelName, int version, string fleet, string deviceId, string tokenName, string outcome);
}
