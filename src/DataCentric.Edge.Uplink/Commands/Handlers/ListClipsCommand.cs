using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary><c>listClips</c>: the stored clips, newest first, filtered by trigger and time, with their upload state.</summary>
internal sealed class ListClipsCommand(IClipQueries catalog, CommandOptions options) : DeviceCommand<List<ClipSummary>>
{
    public override string Name => CommandNames.ListClips;

    protected override Task<List<ClipSummary>> ResultAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<List<ClipSummary>>(
        [
            .. catalog.FindClips(request.From ?? DateTimeOffset.MinValue, request.To ?? DateTimeOffset.MaxValue, request.TriggerId, Limit(request, options.MaxListItems))
                .Select(c => new ClipSummary(c.ClipId, c.FileName, c.SizeBytes, c.Priority, c.TriggerIds, c.StartWall, c.EndWall, c.UploadState, c.Pinned)),
        ]);
}
