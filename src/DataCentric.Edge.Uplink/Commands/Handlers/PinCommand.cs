using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary><c>pin</c> / <c>unpin</c> (one registration each): pinned clips are evicted last.</summary>
internal sealed class PinCommand(IClipQueries catalog, bool pinned) : DeviceCommand<PinResult>
{
    public override string Name => pinned ? CommandNames.Pin : CommandNames.Unpin;

    protected override Task<PinResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var clipId = Required(request.ClipId, "clipId");
        _ = catalog.FindClip(clipId) ?? throw new CommandRefusedException($"no clip '{clipId}' on this device");
        catalog.SetPinned(clipId, pinned);
        return Task.FromResult(new PinResult(clipId, pinned));
    }
}
