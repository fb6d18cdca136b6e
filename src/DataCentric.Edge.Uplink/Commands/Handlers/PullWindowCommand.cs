using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary>
/// <c>pullWindow</c>: pulls the stored clips around an event, says which parts no stored clip
/// covers, and has the recorder cut what its ring still holds of them.
/// </summary>
internal sealed class PullWindowCommand(IClipCatalog catalog, UploadRequests uploads, IRecentWindowRecorder? recentWindows)
    : DeviceCommand<PullWindowResult>
{
    public override string Name => CommandNames.PullWindow;

    protected override Task<PullWindowResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var eventId = Required(request.EventId, "eventId");
        var before = TimeSpan.FromSeconds(request.BeforeSeconds ?? 30);
        var after = TimeSpan.FromSeconds(request.AfterSeconds ?? 10);
        if (before < TimeSpan.Zero || after < TimeSpan.Zero || before + after > TimeSpan.FromHours(1))
        {
            throw new CommandRefusedException("beforeSeconds and afterSeconds must be >= 0 and together at most 3600");
        }

        var found = catalog.RecentEvents(ScanLimit).FirstOrDefault(e => e.EventId == eventId)
            ?? throw new CommandRefusedException($"no event '{eventId}' on this device");
        var window = new TimeRange(found.WallClock - before, found.WallClock + after);
        var clips = catalog.RecentClips(ScanLimit)
            .Where(c => c.UploadState != UploadState.FileMissing && c.FileState == ClipFileState.Stored && c.EndWall >= window.From && c.StartWall <= window.To)
            .OrderBy(c => c.StartWall)
            .ToList();
        foreach (var clip in clips)
        {
            PullClipCommand.Pull(catalog, uploads, clip.ClipId);
        }

        var uncovered = Uncovered(window, clips);

        // What no stored clip covers may still be in the recorder's ring: cut it now.
        var fromBuffer = recentWindows is null
            ? []
            : uncovered.Select(gap => recentWindows.Request(gap, $"pullWindow around event {eventId}")).OfType<TimeRange>().ToList();
        return Task.FromResult(new PullWindowResult(eventId, window, [.. clips.Select(c => c.ClipId)], uncovered) { FromBuffer = fromBuffer });
    }

    private static List<TimeRange> Uncovered(TimeRange window, IEnumerable<StoredClip> clips)
    {
        var gaps = new List<TimeRange>();
        var cursor = window.From;
        foreach (var clip in clips)
        {
            if (clip.StartWall > cursor)
            {
                gaps.Add(new TimeRange(cursor, clip.StartWall < window.To ? clip.StartWall : window.To));
            }

            if (clip.EndWall > cursor)
            {
                cursor = clip.EndWall;
            }
        }

        if (cursor < window.To)
        {
            gaps.Add(new TimeRange(cursor, window.To));
        }

        return gaps;
    }
}
