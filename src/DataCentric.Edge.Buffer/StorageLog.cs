using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Buffer;

/// <summary>The buffer's log messages (event ids 420-449).</summary>
internal static partial class StorageLog
{
    /// <summary>The buffer's log category.</summary>
    public const string Category = "DataCentric.Edge.Buffer";

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "Clip {ClipId} evicted ({Reason}): priority {Priority}, upload {UploadState}, {Bytes} bytes")]
    public static partial void Evicted(this ILogger logger, string clipId, string reason, int priority, Core.Storage.UploadState uploadState, long bytes);

    [LoggerMessage(EventId = 421, Level = LogLevel.Error, Message = "Storage still short by {Bytes} bytes after evicting every clip the policy allows ({Reason})")]
    public static partial void StillShort(this ILogger logger, long bytes, string reason);

    [LoggerMessage(EventId = 422, Level = LogLevel.Error, Message = "Clip {ClipId} abandoned: {Reason}")]
    public static partial void Abandoned(this ILogger logger, string clipId, string reason);

    [LoggerMessage(EventId = 423, Level = LogLevel.Error, Message = "Clip {ClipId} failed its hash check and was quarantined")]
    public static partial void Quarantined(this ILogger logger, string clipId);

    [LoggerMessage(EventId = 424, Level = LogLevel.Error, Message = "Clip {ClipId} is catalogued but its file is gone; marked missing")]
    public static partial void Missing(this ILogger logger, string clipId);

    [LoggerMessage(EventId = 425, Level = LogLevel.Warning, Message = "Start-up reconciliation: {Temps} temp files removed, {Adopted} orphan clips adopted, {Removed} orphan files removed, {Missing} clips missing, {Quarantined} quarantined")]
    public static partial void Reconciled(this ILogger logger, int temps, int adopted, int removed, int missing, int quarantined);

    [LoggerMessage(EventId = 427, Level = LogLevel.Debug, Message = "Catalog history: forgot {Clips} records of clips no longer stored, {Events} events and {Evictions} evictions beyond the newest {Keep} of each")]
    public static partial void HistoryForgotten(this ILogger logger, int clips, int events, int evictions, int keep);

    [LoggerMessage(EventId = 428, Level = LogLevel.Warning, Message = "Catalog history not trimmed, tried again next pass: {Reason}")]
    public static partial void HistoryNotForgotten(this ILogger logger, string reason);

    [LoggerMessage(EventId = 426, Level = LogLevel.Warning, Message = "Catalog log was unreadable after an unclean stop (a power loss tears what was not yet synced); moved to {Path}. The catalog is as of its last checkpoint, which holds every clip reported stored; later upload positions and events without a stored clip are lost")]
    public static partial void CatalogLogSetAside(this ILogger logger, string path);
}
