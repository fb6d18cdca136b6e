using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// What the receivers write: every message may arrive more than once (QoS 1, several receivers), so
/// every write is idempotent by the id the device gave, and a replay changes nothing.
/// </summary>
public interface IFleetIngest
{
    /// <summary>
    /// Records a device's retained status, seen by the fleet at <paramref name="receivedAt"/> (the
    /// fleet's clock: the Last Will carries no time). A status older than the one held is ignored.
    /// </summary>
    /// <returns>True when the status was applied, false when a newer one was already held.</returns>
    Task<bool> RecordStatusAsync(DeviceStatus status, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Catalogues a trigger event from <c>dce/v1/{fleet}/{device}/events</c>, once per event id.</summary>
    /// <remarks>A replay that carries the clip id the first copy lacked links the event to its clip.</remarks>
    Task<CatalogWrite> AddEventAsync(string fleet, string device, EventSummary summary, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Catalogues a clip the object store holds, once per clip id; the first copy stays.</summary>
    Task<CatalogWrite> AddClipAsync(CatalogClip clip, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the cumulative snapshot of each trigger of a <c>dce/v1/{fleet}/{device}/triggers/counters</c>
    /// report, once per (fleet, device, trigger, startedAt, at): a replayed report changes nothing.
    /// </summary>
    /// <returns><see cref="CatalogWrite.Added"/> when any snapshot was new, else <see cref="CatalogWrite.AlreadyPresent"/>.</returns>
    Task<CatalogWrite> RecordTriggerCountersAsync(TriggerCountersReport report, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a device's retained trigger-set ack from <c>dce/v1/{fleet}/{device}/config/ack</c> as the
    /// device's latest decision (it may arrive before the device's first status). An ack older than the
    /// one held (by its own time) is ignored.
    /// </summary>
    /// <returns>True when the ack was applied, false when a newer one was already held.</returns>
    Task<bool> RecordTriggerSetAckAsync(TriggerSetAck ack, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a device's retained model release ack from <c>dce/v1/{fleet}/{device}/models/{name}/ack</c> as
    /// the latest step of that version on that device. An ack older than the one held for the same
    /// version (by its own time) is ignored.
    /// </summary>
    /// <returns>True when the ack was applied, false when a newer one was already held.</returns>
    Task<bool> RecordModelReleaseAckAsync(ModelReleaseAck ack, CancellationToken cancellationToken);
}
