using DataCentric.Edge.Core.Recording.Video;
using DataCentric.Edge.FleetService.Api;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>
/// <c>GET /api/console/clips/{clipId}/mp4?camera</c>: the clip's camera frames (decoded from its MCAP, as the
/// scrubber shows them) encoded to H.264 by ffmpeg (<see cref="ConsoleOptions.FfmpegPath"/>), sent as an
/// attachment. At most <see cref="ConsoleOptions.MaxMp4Encodes"/> encodes run at once; one more is 429.
/// </summary>
internal sealed class ClipMp4Endpoints(ClipFrameEndpoints clips, IOptions<ConsoleOptions> options, ILogger<ClipMp4Endpoints> logger)
{
    private readonly ConsoleOptions _options = options.Value;
    private readonly SemaphoreSlim _encodes = new(options.Value.MaxMp4Encodes, options.Value.MaxMp4Encodes);

    public async Task<IResult> DownloadAsync(HttpContext context)
    {
        var camera = new ApiQuery(context.Request, "camera").Text("camera");
        var (clip, content, problem) = await clips.LoadAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        // Without ?camera the video shows the camera of the clip's first frame (clips carry one camera today).
        camera ??= content!.Frames.OrderBy(f => f.Time).FirstOrDefault()?.FrameId;
        var frames = camera is null ? [] : ClipMp4Encoder.CameraFrames(content!, camera);
        if (frames.Count == 0)
        {
            return ApiProblems.Of(StatusCodes.Status422UnprocessableEntity, "Clip has no camera frames", camera is null
                ? $"clip '{clip!.ClipId}' has no camera frames to encode"
                : $"clip '{clip!.ClipId}' has no frames from camera '{camera}'");
        }

        if (!await _encodes.WaitAsync(0, context.RequestAborted).ConfigureAwait(false))
        {
            return ApiProblems.Of(StatusCodes.Status429TooManyRequests, "Too many MP4 encodes", $"{_options.MaxMp4Encodes} MP4 encodes are running (Console:MaxMp4Encodes); try again when one has finished");
        }

        // ffmpeg writes the file whole before it is sent: faststart moves the index to the front, which needs a seekable output.
        var path = Path.Combine(Path.GetTempPath(), $"dce-clip-{Guid.NewGuid():N}.mp4");
        var sending = false;
        try
        {
            var result = await ClipMp4Encoder.EncodeAsync(frames, path, _options.FfmpegPath, context.RequestAborted).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case Mp4EncodeOutcome.FfmpegNotStarted:
                    ConsoleLog.Mp4Failed(logger, clip!.ClipId, result.Message!);
                    return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "ffmpeg unavailable",
                        $"ffmpeg could not be started ('{_options.FfmpegPath}'): install ffmpeg or set Console:FfmpegPath to its path");
                case Mp4EncodeOutcome.FfmpegFailed:
                    ConsoleLog.Mp4Failed(logger, clip!.ClipId, result.Message!);
                    return ApiProblems.Of(StatusCodes.Status500InternalServerError, "MP4 encode failed", $"clip '{clip.ClipId}': {result.Message}");
            }

            // Deleted when the response has sent it (or the browser went).
            var video = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            sending = true;
            return Results.File(video, "video/mp4", $"{clip!.ClipId}.mp4");
        }
        finally
        {
            _encodes.Release();
            if (!sending)
            {
                File.Delete(path); // what a failed or cancelled ffmpeg left
            }
        }
    }
}
