namespace DataCentric.Edge.FleetService.Api;

/// <summary>The API's log lines, ids 5400-5499. Tokens are never logged: a caller is its token's name.</summary>
internal static partial class FleetApiLog
{
    [LoggerMessage(EventId = 5400, Level = LogLevel.Information, Message = "Fleet API ready: {TokenCount} tokens, CORS origins {Origins}, links valid {LinkValidFor}")]
    public static partial void Ready(ILogger logger, int tokenCount, string origins, TimeSpan linkValidFor);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning, Message = "Fleet API has no tokens (Api:Tokens): every /api request is refused")]
    public static partial void NoTokens(ILogger logger);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Information, Message = "No Api:LinkKeyFile: signed clip links use a key of this process and stop working when it exits")]
    public static partial void RandomLinkKey(ILogger logger);

    [LoggerMessage(EventId = 5410, Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Remote}: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string method, string path, string? remote, string reason);

    [LoggerMessage(EventId = 5411, Level = LogLevel.Warning, Message = "Forbidden {Method} {Path} for token {TokenName} ({Role}): needs {Needed}")]
    public static partial void Forbidden(ILogger logger, string method, string path, string tokenName, ApiRole role, ApiRole needed);

    [LoggerMessage(EventId = 5420, Level = LogLevel.Warning, Message = "Refused a signed link to clip {ClipId} from {Remote}: {Reason}")]
    public static partial void BadLink(ILogger logger, string clipId, string? remote, string reason);

    [LoggerMessage(EventId = 5430, Level = LogLevel.Debug, Message = "Bad request {Method} {Path}: {Detail}")]
    public static partial void BadRequest(ILogger logger, string method, string path, string detail);

    [LoggerMessage(EventId = 5440, Level = LogLevel.Warning, Message = "Clip {ClipId} is catalogued but the object store has nothing under {ObjectKey}")]
    public static partial void ObjectMissing(ILogger logger, string clipId, string objectKey);

    [LoggerMessage(EventId = 5450, Level = LogLevel.Warning, Message = "Health check: the catalog did not answer")]
    public static partial void CatalogUnhealthy(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5460, Level = LogLevel.Information, Message = "Pull {PullId} of {Fleet}/{Device} recorded for token {TokenName}")]
    public static partial void PullRecorded(ILogger logger, string pullId, string fleet, string device, string tokenName);

    [LoggerMessage(EventId = 5461, Level = LogLevel.Information, Message = "Pull {PullId} of {Fleet}/{Device} cancelled ({Was} before) by token {TokenName}")]
    public static partial void PullCancelled(ILogger logger, string pullId, string fleet, string device, string was, string tokenName);
}
