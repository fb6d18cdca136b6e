namespace DataCentric.Edge.FleetService.Models;

/// <summary>Staged model rollouts' log lines, ids 5860-5869.</summary>
internal static partial class RolloutLog
{
    [LoggerMessage(EventId = 5860, Level = LogLevel.Information, Message = "Rollout {RolloutId} of {Name} v{Version} in {Fleet} planned by {Caller}: {Stages} stages, canaries {Canaries}")]
    public static partial void Planned(ILogger logger, string rolloutId, string name, int version, string fleet, string caller, int stages, string canaries);

    [LoggerMessage(EventId = 5861, Level = LogLevel.Information, Message = "Rollout {RolloutId}: stage {Stage} published to {Targets} by {Caller}")]
    public static partial void Published(ILogger logger, string rolloutId, int stage, string targets, string caller);

    [LoggerMessage(EventId = 5862, Level = LogLevel.Warning, Message = "Rollout {RolloutId} halted: {Reason}")]
    public static partial void Halted(ILogger logger, string rolloutId, string reason);

    [LoggerMessage(EventId = 5863, Level = LogLevel.Warning, Message = "Rollout {RolloutId}: stage {Stage} not published on {Topic}")]
    public static partial void PublishFailed(ILogger logger, string rolloutId, int stage, string topic, Exception exception);
}
