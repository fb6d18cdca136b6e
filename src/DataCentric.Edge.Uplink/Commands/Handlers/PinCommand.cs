using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary>
/// <c>pin</c> / <c>unpin</c> (one registration each): retention never evicts a pinned clip. Pinned
/// clips still count against the clip quota, so a pin that would take them past the device's
/// <see cref="IPinBudget"/> is refused rather than leave retention nothing it may delete.
/// </summary>
internal sealed class PinCommand(IClipQueries catalog, IPinBudget? budget, bool pinned) : DeviceCommand<PinResult>
{
    /// <summary>Pins of both registrations check and change the budget one at a time.</summary>
    private static readonly Lock PinLock = new();

    public override string Name => pinned ? CommandNames.Pin : CommandNames.Unpin;

    protected override Task<PinResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var clipId = Required(request.ClipId, "clipId");
        lock (PinLock)
        {
            var clip = catalog.FindClip(clipId) ?? throw new CommandRefusedException($"no clip '{clipId}' on this device");
            if (pinned && clip.FileState != ClipFileState.Stored)
            {
                throw new CommandRefusedException($"clip '{clipId}' is {clip.FileState.ToString().ToLowerInvariant()}: its file is gone, there is nothing to pin");
            }

            var pinnedBytes = budget?.PinnedBytes() ?? 0;
            var max = budget?.MaxPinnedBytes ?? long.MaxValue;
            if (pinned && !clip.Pinned && pinnedBytes + clip.SizeBytes > max)
            {
                throw new CommandRefusedException(
                    $"pinning '{clipId}' ({clip.SizeBytes} bytes) would pin {pinnedBytes + clip.SizeBytes} bytes; this device pins at most {max} "
                    + "(Storage:MaxPinnedQuotaPercent of its clip quota): unpin a clip first");
            }

            catalog.SetPinned(clipId, pinned);
            if (budget is not null)
            {
                pinnedBytes = budget.PinnedBytes();
            }

            return Task.FromResult(new PinResult(clipId, pinned) { PinnedBytes = pinnedBytes, MaxPinnedBytes = budget is null ? 0 : max });
        }
    }
}
