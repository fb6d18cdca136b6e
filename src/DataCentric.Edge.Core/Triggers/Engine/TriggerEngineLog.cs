using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Core.Triggers.Engine;

internal static partial class TriggerEngineLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Trigger set version {Version} active with {TriggerCount} triggers ({KeptCount} kept their state)")]
    public static partial void SetActivated(ILogger logger, int version, int triggerCount, int keptCount);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Dry-run trigger {TriggerId} fired at {Time}")]
    public static partial void DryRunFired(ILogger logger, string triggerId, TimeSpan time);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Trigger {TriggerId} fired at {Time}")]
    public static partial void Fired(ILogger logger, string triggerId, TimeSpan time);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Trigger {TriggerId} disabled: {Reason}")]
    public static partial void Disabled(ILogger logger, string triggerId, string reason);
}
