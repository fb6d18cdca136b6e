using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary><c>listEvents</c>: the catalogued trigger events, newest first, filtered by trigger and time.</summary>
internal sealed class ListEventsCommand(IClipQueries catalog, CommandOptions options) : DeviceCommand<List<EventSummary>>
{
    public override string Name => CommandNames.ListEvents;

    protected override Task<List<EventSummary>> ResultAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<List<EventSummary>>(
        [
            .. catalog.FindEvents(request.From ?? DateTimeOffset.MinValue, request.To ?? DateTimeOffset.MaxValue, request.TriggerId, Limit(request, options.MaxListItems))
                .Select(e => new EventSummary(e.EventId, e.TriggerIds, e.WallClock, e.Priority, e.DryRun, e.TriggerSetVersion, e.ClipId)),
        ]);
}
