using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary><c>ping</c>: who answers, when, on which trigger set version, with how many clips waiting to upload.</summary>
internal sealed class PingCommand(FleetTopics topics, IUploadOutbox catalog, ActiveTriggerSet? triggerSets, TimeProvider timeProvider)
    : DeviceCommand<PingResult>
{
    public override string Name => CommandNames.Ping;

    protected override Task<PingResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new PingResult(topics.Fleet, topics.Device, timeProvider.GetUtcNow(), triggerSets?.Version ?? 0, catalog.PendingUploads(ScanLimit).Count));
}
