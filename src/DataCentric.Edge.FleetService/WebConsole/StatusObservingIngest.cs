using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>
/// The catalog's ingest as the tracker sees it, plus one step: a status the catalog applied goes to
/// the <see cref="DeviceFeed"/>, and so does a trigger-set or model release ack it applied (after the write, so a page
/// never shows what the catalog refused).
/// </summary>
internal sealed class StatusObservingIngest(IFleetIngest inner, DeviceFeed feed) : IFleetIngest
{
    public async Task<bool> RecordStatusAsync(DeviceStatus status, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var applied = await inner.RecordStatusAsync(status, receivedAt, cancellationToken).ConfigureAwait(false);
        if (applied)
        {
            feed.Publish(status, receivedAt);
        }

        return applied;
    }

    public Task<CatalogWrite> AddEventAsync(string fleet, string device, EventSummary summary, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        inner.AddEventAsync(fleet, device, summary, receivedAt, cancellationToken);

    public Task<CatalogWrite> AddClipAsync(CatalogClip clip, CancellationToken cancellationToken) => inner.AddClipAsync(clip, cancellationToken);

    public Task<CatalogWrite> RecordTriggerCountersAsync(TriggerCountersReport report, CancellationToken cancellationToken) =>
        inner.RecordTriggerCountersAsync(report, cancellationToken);

    public async Task<bool> RecordTriggerSetAckAsync(TriggerSetAck ack, CancellationToken cancellationToken)
    {
        var applied = await inner.RecordTriggerSetAckAsync(ack, cancellationToken).ConfigureAwait(false);
        if (applied)
        {
            feed.PublishAck(ack.Fleet, ack.Device, CatalogTriggerSetAck.From(ack));
        }

        return applied;
    }

    public async Task<bool> RecordModelReleaseAckAsync(ModelReleaseAck ack, CancellationToken cancellationToken)
    {
        var applied = await inner.RecordModelReleaseAckAsync(ack, cancellationToken).ConfigureAwait(false);
        if (applied)
        {
            feed.PublishModel(CatalogModelRelease.From(ack));
        }

        return applied;
    }
}
