using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary>
/// <c>pullWindow</c>: pulls the stored clips in a window (around an event, or an absolute
/// <c>from</c>/<c>to</c>), says which parts no stored clip covers, and has the recorder cut what its
/// ring still holds of them. A window nothing is left of is refused with what the device still holds.
/// </summary>
internal sealed class PullWindowCommand(IClipCatalog catalog, UploadRequests uploads, IRecentWindowRecorder? recentWindows, TimeProvider timeProvider)
    : DeviceCommand<PullWindowResult>
{
    public override string Name => CommandNames.PullWindow;

    protected override Task<PullWindowResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var window = request.EventId is null ? Absolute(request, now) : AroundEvent(request);
        var stored = catalog.RecentClips(ScanLimit).Where(c => c.UploadState != UploadState.FileMissing && c.FileState == ClipFileState.Stored).ToList();
        var clips = stored.Where(c => c.EndWall >= window.From && c.StartWall <= window.To).OrderBy(c => c.StartWall).ToList();
        var uncovered = Uncovered(window, clips);

        // What no stored clip covers may still be in the recorder's ring: cut it now.
        var reason = request.EventId is { } eventId ? $"pullWindow around event {eventId}" : $"pullWindow {Time(window.From)} to {Time(window.To)}";
        var fromBuffer = recentWindows is null
            ? []
            : uncovered.Select(gap => recentWindows.Request(gap, reason)).OfType<TimeRange>().ToList();
        var holds = new DeviceHoldings(
            stored.Count == 0 ? null : new TimeRange(stored.Min(c => c.StartWall), stored.Max(c => c.EndWall)), recentWindows?.Holds(), now);
        if (clips.Count == 0 && fromBuffer.Count == 0)
        {
            throw new CommandRefusedException($"nothing of {Time(window.From)} to {Time(window.To)} is left on this device: {Describe(holds)}");
        }

        foreach (var clip in clips)
        {
            PullClipCommand.Pull(catalog, uploads, clip.ClipId);
        }

        return Task.FromResult(new PullWindowResult(request.EventId, window, [.. clips.Select(c => c.ClipId)], uncovered) { FromBuffer = fromBuffer, Holds = holds });
    }

    /// <summary>What the device holds, in words (for a refusal).</summary>
    internal static string Describe(DeviceHoldings holds) =>
        (holds.Clips is { } clips ? $"it holds stored clips from {Time(clips.From)} to {Time(clips.To)}" : "it holds no stored clips")
        + (holds.RecentBuffer is { } ring ? $" and its recent buffer from {Time(ring.From)} to {Time(ring.To)}" : string.Empty)
        + $" (device time {Time(holds.Now)})";

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private TimeRange AroundEvent(CommandRequest request)
    {
        if (request.From is not null || request.To is not null)
        {
            throw new CommandRefusedException("give 'eventId' or 'from' and 'to', not both");
        }

        var before = TimeSpan.FromSeconds(request.BeforeSeconds ?? 30);
        var after = TimeSpan.FromSeconds(request.AfterSeconds ?? 10);
        if (before < TimeSpan.Zero || after < TimeSpan.Zero || before + after > PullWindows.MaxWindow)
        {
            throw new CommandRefusedException($"beforeSeconds and afterSeconds must be >= 0 and together at most {PullWindows.MaxWindow.TotalSeconds}");
        }

        var eventId = request.EventId!;
        var found = catalog.RecentEvents(ScanLimit).FirstOrDefault(e => e.EventId == eventId)
            ?? throw new CommandRefusedException($"no event '{eventId}' on this device");
        return new TimeRange(found.WallClock - before, found.WallClock + after);
    }

    private static TimeRange Absolute(CommandRequest request, DateTimeOffset now)
    {
        if (request.BeforeSeconds is not null || request.AfterSeconds is not null)
        {
            throw new CommandRefusedException("'beforeSeconds' and 'afterSeconds' go with 'eventId'; an absolute window is 'from' and 'to'");
        }

        if (request.From is not { } from || request.To is not { } to)
        {
            throw new CommandRefusedException(request.From is null && request.To is null
                ? "'eventId', or 'from' and 'to', is required"
                : $"'{(request.From is null ? "from" : "to")}' is required with '{(request.From is null ? "to" : "from")}'");
        }

        if (from >= to)
        {
            throw new CommandRefusedException($"'from' ({Time(from)}) must be before 'to' ({Time(to)})");
        }

        if (to - from > PullWindows.MaxWindow)
        {
            throw new CommandRefusedException($"the window is {to - from} long; at most {PullWindows.MaxWindow} may be asked for at once");
        }

        if (from > now)
        {
            throw new CommandRefusedException($"the window starts at {Time(from)}, in the future (device time {Time(now)})");
        }

        return new TimeRange(from, to);
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
