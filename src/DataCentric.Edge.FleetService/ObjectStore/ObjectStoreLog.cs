using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>The object store's log events (5200–5299). Credentials never appear in them.</summary>
internal static partial class ObjectStoreLog
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Stored {Key} (clip {ClipId}, {Bytes} bytes, sha256 {Sha256})")]
    public static partial void Stored(ILogger logger, string key, string clipId, long bytes, string sha256);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Aborted the upload of {Key} (clip {ClipId}) after {Bytes} bytes; nothing was stored")]
    public static partial void Aborted(ILogger logger, string key, string clipId, long bytes);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "The upload of {Key} (clip {ClipId}) failed after {Bytes} bytes and was aborted")]
    public static partial void FailedAndAborted(ILogger logger, Exception exception, string key, string clipId, long bytes);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Could not clean up the aborted upload of {Key} (clip {ClipId}); nothing was stored, but what was sent stays until the bucket's lifecycle rule for incomplete multipart uploads (or the folder store's start-up sweep) removes it")]
    public static partial void AbortFailed(ILogger logger, Exception exception, string key, string clipId);

    [LoggerMessage(EventId = 5210, Level = LogLevel.Information, Message = "Clip objects in {Store}")]
    public static partial void Using(ILogger logger, string store);
}
