namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>The Models page's log lines, ids 5780-5789.</summary>
internal static partial class ModelConsoleLog
{
    [LoggerMessage(EventId = 5780, Level = LogLevel.Information, Message = "Rollback of model {ModelName} v{Version} on {Fleet}/{DeviceId} asked by {TokenName}: {Outcome}")]
    public static partial void RolledBack(ILogger logger, string modelName, int version, string fleet, string deviceId, string tokenName, string outcome);

    [LoggerMessage(EventId = 5785, Level = LogLevel.Information, Message = "Model release {ModelName} v{Version} for {Topic} uploaded by {TokenName} as proposal {ProposalId}")]
    public static partial void Proposed(ILogger logger, string modelName, int version, string topic, string tokenName, string proposalId);

    [LoggerMessage(EventId = 5786, Level = LogLevel.Information, Message = "Model proposal {ProposalId} approved by {TokenName}: {ModelName} v{Version}, {Chunks} chunk(s) and the release published on {Topic}")]
    public static partial void Published(ILogger logger, string proposalId, string tokenName, string modelName, int version, int chunks, string topic);

    [LoggerMessage(EventId = 5787, Level = LogLevel.Warning, Message = "Model proposal {ProposalId} approved by {TokenName} but not published")]
    public static partial void PublishFailed(ILogger logger, string proposalId, string tokenName, Exception exception);

    [LoggerMessage(EventId = 5788, Level = LogLevel.Information, Message = "Model proposal {ProposalId} rejected by {TokenName}: {Reason}")]
    public static partial void Rejected(ILogger logger, string proposalId, string tokenName, string reason);
}
