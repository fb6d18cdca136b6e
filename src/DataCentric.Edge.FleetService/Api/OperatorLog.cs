namespace DataCentric.Edge.FleetService.Api;

/// <summary>The operator link's log lines (pull dispatch, trigger pushes), ids 5470-5489.</summary>
internal static partial class OperatorLog
{
    [LoggerMessage(EventId = 5470, Level = LogLevel.Information, Message = "Operator link: client {ClientId} to {Endpoint}; pulls are sent by {Concurrency} workers")]
    public static partial void Ready(ILogger logger, string clientId, string endpoint, int concurrency);

    [LoggerMessage(EventId = 5471, Level = LogLevel.Warning, Message = "No Operator:Broker section: pulls are only recorded, trigger pushes answer 503")]
    public static partial void NotConfigured(ILogger logger);

    [LoggerMessage(EventId = 5472, Level = LogLevel.Information, Message = "Operator link connected to {Endpoint} as {ClientId}")]
    public static partial void Connected(ILogger logger, string endpoint, string clientId);

    [LoggerMessage(EventId = 5473, Level = LogLevel.Warning, Message = "Operator link to {Endpoint} could not connect")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 5475, Level = LogLevel.Information, Message = "Pull {PullId} of {Fleet}/{Device} sent: {Detail}")]
    public static partial void PullSent(ILogger logger, string pullId, string fleet, string device, string detail);

    [LoggerMessage(EventId = 5476, Level = LogLevel.Information, Message = "Pull {PullId} of {Fleet}/{Device}, try {Attempt}: {Reason}; next try in {Delay}")]
    public static partial void PullRetry(ILogger logger, string pullId, string fleet, string device, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 5477, Level = LogLevel.Warning, Message = "Pull {PullId} of {Fleet}/{Device} failed: {Reason}")]
    public static partial void PullFailed(ILogger logger, string pullId, string fleet, string device, string reason);

    [LoggerMessage(EventId = 5478, Level = LogLevel.Warning, Message = "Pull {PullId} not queued: {QueueCapacity} pulls already wait; it stays requested")]
    public static partial void QueueFull(ILogger logger, string pullId, int queueCapacity);

    [LoggerMessage(EventId = 5479, Level = LogLevel.Error, Message = "Pull {PullId}: dispatch fault; it stays as it was")]
    public static partial void DispatchFault(ILogger logger, string pullId, Exception exception);

    [LoggerMessage(EventId = 5485, Level = LogLevel.Information, Message = "Trigger set version {Version} for {Topic} published retained for token {TokenName}")]
    public static partial void TriggerSetPushed(ILogger logger, int version, string topic, string tokenName);

    [LoggerMessage(EventId = 5486, Level = LogLevel.Warning, Message = "Trigger set for {Topic} not published")]
    public static partial void TriggerSetPushFailed(ILogger logger, string topic, Exception exception);
}
