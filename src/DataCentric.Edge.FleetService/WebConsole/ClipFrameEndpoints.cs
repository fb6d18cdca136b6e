using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using Microsoft.Net.Http.Headers;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>
/// The clip view's data, decoded from the clip's MCAP on the server: <c>GET /api/clips/{clipId}/frames</c>
/// (frame index, signals, the shadow model's boxes, trigger events and metadata, in one answer) and
/// <c>GET /api/clips/{clipId}/frames/{frame}</c> (one frame's image as the camera encoded it, JPEG).
/// </summary>
internal sealed class ClipFrameEndpoints(IFleetQueries queries, ClipContentCache cache, ILogger<ClipFrameEndpoints> logger)
{
    public async Task<IResult> IndexAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var (clip, content, problem) = await LoadAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        return Results.Json(ClipFrameIndexBuilder.Build(clip!, content!), ConsoleJsonContext.Default.ClipFrameIndex);
    }

    public async Task<IResult> FrameAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var text = (string)context.Request.RouteValues["frame"]!;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new ApiInputException($"path parameter 'frame': '{text}' is not a frame number (0, 1, 2 ...)");
        }

        var (clip, content, problem) = await LoadAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (index >= content!.Frames.Count)
        {
            return ApiProblems.NotFound(content.Frames.Count == 0
                ? $"clip '{clip!.ClipId}' has no camera frames"
                : $"path parameter 'frame': clip '{clip!.ClipId}' has frames 0 to {content.Frames.Count - 1}, not {index}");
        }

        var frame = content.Frames[index];

        // A clip's bytes never change under its SHA-256, so neither do its frames.
        context.Response.Headers[HeaderNames.CacheControl] = "private, max-age=86400, immutable";
        context.Response.Headers[HeaderNames.ETag] = $"\"{clip!.Sha256}-{index}\"";
        return Results.Bytes(frame.Data, MediaTypeOf(frame.Format));
    }

    /// <summary>The clip and its decoded content, or the problem answer (404, 413, 422) that says why not.</summary>
    internal async Task<(CatalogClip? Clip, ClipContent? Content, IResult? Problem)> LoadAsync(HttpContext context)
    {
        var clipId = CatalogEndpoints.ClipId(context);
        if (await queries.GetClipAsync(clipId, context.RequestAborted).ConfigureAwait(false) is not { } clip)
        {
            return (null, null, ApiProblems.NotFound($"no clip '{clipId}' in the catalog"));
        }

        try
        {
            return (clip, await cache.GetAsync(clip, context.RequestAborted).ConfigureAwait(false), null);
        }
        catch (ClipObjectMissingException e)
        {
            ConsoleLog.ClipUnreadable(logger, clipId, e.Message);
            return (clip, null, ApiProblems.NotFound(e.Message));
        }
        catch (ClipTooLargeToViewException e)
        {
            return (clip, null, ApiProblems.Of(StatusCodes.Status413PayloadTooLarge, "Clip too large to view", e.Message));
        }
        catch (InvalidDataException e)
        {
            ConsoleLog.ClipUnreadable(logger, clipId, e.Message);
            return (clip, null, ApiProblems.Of(StatusCodes.Status422UnprocessableEntity, "Clip cannot be read", $"clip '{clipId}': {e.Message}"));
        }
    }

    private static string MediaTypeOf(string format) => format switch
    {
        "jpeg" or "jpg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "avif" => "image/avif",
        _ => "application/octet-stream",
    };
}

/// <summary>Turns a decoded clip into what the clip view draws: times in milliseconds from the clip's start.</summary>
internal static class ClipFrameIndexBuilder
{
    public static ClipFrameIndex Build(CatalogClip clip, ClipContent content)
    {
        double Ms(TimeSpan time) => (time - content.Start).TotalMilliseconds;
        var frames = content.Frames.Select((f, i) => new ClipFrameInfo(i, Ms(f.Time), f.WallClock, f.Width, f.Height, f.Format, f.Data.Length)).ToList();
        var signals = new List<ClipSignalSeries>();
        var detections = new List<ClipDetectionSeries>();
        foreach (var group in content.Signals.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var samples = group.OrderBy(s => s.Sample.Time).ToList();
            var kind = samples[0].Sample.Value.Kind;
            if (kind is SignalKind.Number or SignalKind.Bool)
            {
                signals.Add(new ClipSignalSeries(
                    group.Key, kind == SignalKind.Bool ? "bool" : "number", [.. samples.Select(s => Ms(s.Sample.Time))], [.. samples.Select(s => s.Sample.Value.Number)]));
            }
            else if (kind == SignalKind.Detections)
            {
                detections.Add(new ClipDetectionSeries(group.Key, [.. samples.Select(s => new ClipDetectionSample(
                    Ms(s.Sample.Time),
                    [.. s.Sample.Value.AsDetections.Select(d => new ClipBox(d.ClassId, d.Score, d.X, d.Y, d.Width, d.Height))]))]));
            }
        }

        var events = content.Events.Select(e => new ClipTriggerInfo(
            e.EventId, Ms(e.Time), e.WallClock, e.TriggerSetVersion, e.DryRun,
            [.. e.Triggers.Select(t => new ClipTriggerHit(t.TriggerId, t.Expression, t.Priority, t.Pre.TotalMilliseconds, t.Post.TotalMilliseconds))])).ToList();
        return new ClipFrameIndex(clip.ToApi(), (content.End - content.Start).TotalMilliseconds, frames, signals, detections, events, content.Metadata);
    }
}
