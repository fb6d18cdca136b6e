using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>A device's latest trigger-set decision, from its retained <c>config/ack</c>.</summary>
/// <param name="Version">The version decided on; null when the envelope was unreadable.</param>
/// <param name="Decision">accepted or rejected.</param>
/// <param name="Reason">The device's errors joined by "; " (null when accepted).</param>
/// <param name="ActiveVersion">The set the device runs after the decision.</param>
/// <param name="At">The device's time of the decision; an ack older than the one held is ignored.</param>
public sealed record CatalogTriggerSetAck(int? Version, string Decision, string? Reason, int ActiveVersion, DateTimeOffset At)
{
    internal static CatalogTriggerSetAck From(TriggerSetAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (ack.ActiveVersion < 0 || ack.Version is < 0)
        {
            throw new ArgumentException($"A trigger-set version is negative (version {ack.Version}, activeVersion {ack.ActiveVersion}).", nameof(ack));
        }

        var decision = ack.Decision switch
        {
            TriggerSetDecision.Accepted => "accepted",
            TriggerSetDecision.Rejected => "rejected",
            _ => throw new ArgumentException($"Unknown decision {(int)ack.Decision}.", nameof(ack)),
        };
        var errors = ack.Errors ?? [];
        var reason = errors.Count == 0 ? null : string.Join("; ", errors);
        return new CatalogTriggerSetAck(ack.Version, decision, CatalogGuard.Text(reason, nameof(ack.Errors)), ack.ActiveVersion, CatalogGuard.Time(ack.At));
    }
}
