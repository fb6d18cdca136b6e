using System.CommandLine;
using System.Globalization;
using DataCentric.Edge.Cli.Commands.Prelabels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Recording.Video;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl clips export &lt;clip.mcap&gt; --mp4 &lt;file&gt; --frames &lt;dir&gt;</c>: turns a clip into
/// something any player or image viewer opens. The clip is read with the project's MCAP reader, so a
/// truncated or corrupt file is refused with the reader's error before anything is written.
/// <c>--format coco|labelstudio|yolo --out &lt;dir&gt;</c> on clip files or folders writes the frames
/// with the shadow model's draft labels instead (<see cref="PrelabelExportOptions"/>).
/// </summary>
internal static class ClipsExportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var clipArgument = new Argument<string[]>("clips")
        {
            Description = "The clip file (.mcap); with --format, clip files and folders of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var prelabels = new PrelabelExportOptions();
        var mp4Option = new Option<FileInfo?>("--mp4") { Description = "Write the camera frames as an H.264 MP4 (needs ffmpeg)" };
        var framesOption = new Option<DirectoryInfo?>("--frames") { Description = "Write each camera frame as it was recorded (JPEG) into this folder" };
        var cameraOption = new Option<string>("--camera") { Description = "Which camera of the clip to export", DefaultValueFactory = _ => "camera" };
        var ffmpegOption = new Option<string>("--ffmpeg") { Description = "The ffmpeg executable", DefaultValueFactory = _ => "ffmpeg" };
        var command = new Command("export", "Export a clip's camera frames as an MP4 video and/or image files")
        {
            clipArgument, mp4Option, framesOption, cameraOption, ffmpegOption,
        };
        foreach (var option in prelabels.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            var hasFormat = result.GetValue(prelabels.Format) is not null;
            if (result.GetValue(mp4Option) is null && result.GetValue(framesOption) is null && !hasFormat)
            {
                result.AddError("Say what to export: --mp4 <file>, --frames <dir>, or draft labels with --format coco|labelstudio|yolo --out <dir>.");
            }
            else if (hasFormat && (result.GetValue(mp4Option) is not null || result.GetValue(framesOption) is not null))
            {
                result.AddError("--format writes its own images: use it without --mp4 and --frames.");
            }
            else if (!hasFormat && result.GetValue(clipArgument) is { Length: > 1 })
            {
                result.AddError("--mp4 and --frames export one clip at a time.");
            }

            prelabels.Validate(result);
        });
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var camera = parsed.GetRequiredValue(cameraOption);
            if (parsed.GetValue(prelabels.Format) is not null)
            {
                return await prelabels.RunAsync(parsed, parsed.GetRequiredValue(clipArgument), camera, output, error, cancellationToken).ConfigureAwait(false);
            }

            var clipFile = new FileInfo(parsed.GetRequiredValue(clipArgument)[0]);
            List<Frame> frames;
            try
            {
                frames = ReadFrames(clipFile, camera);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"edgectl: cannot export {clipFile.FullName}: {e.Message}").ConfigureAwait(false);
                return EdgectlApp.UsageError;
            }

            if (frames.Count == 0)
            {
                await error.WriteLineAsync($"edgectl: {clipFile.FullName} has no frames from camera '{camera}'.").ConfigureAwait(false);
                return EdgectlApp.UsageError;
            }

            if (parsed.GetValue(framesOption) is { } directory)
            {
                var written = await WriteFramesAsync(frames, directory, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{written} frames written to {directory.FullName}").ConfigureAwait(false);
            }

            if (parsed.GetValue(mp4Option) is { } mp4)
            {
                var failure = await EncodeMp4Async(frames, mp4, parsed.GetRequiredValue(ffmpegOption), cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    await error.WriteLineAsync($"edgectl: cannot write {mp4.FullName}: {failure}").ConfigureAwait(false);
                    return 1;
                }

                await output.WriteLineAsync($"{frames.Count} frames encoded to {mp4.FullName}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static List<Frame> ReadFrames(FileInfo clipFile, string camera)
    {
        using var stream = new FileStream(clipFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return ClipMp4Encoder.CameraFrames(new McapClipReader().Read(stream), camera);
    }

    private static async Task<int> WriteFramesAsync(List<Frame> frames, DirectoryInfo directory, CancellationToken cancellationToken)
    {
        directory.Create();
        for (var i = 0; i < frames.Count; i++)
        {
            var extension = frames[i].Format == "jpeg" ? "jpg" : frames[i].Format;
            var path = Path.Combine(directory.FullName, string.Create(CultureInfo.InvariantCulture, $"frame-{i:D6}.{extension}"));
            await File.WriteAllBytesAsync(path, frames[i].Data, cancellationToken).ConfigureAwait(false);
        }

        return frames.Count;
    }

    /// <summary>Encodes with the shared encoder; returns why it failed, or null.</summary>
    private static async Task<string?> EncodeMp4Async(List<Frame> frames, FileInfo mp4, string ffmpeg, CancellationToken cancellationToken)
    {
        var result = await ClipMp4Encoder.EncodeAsync(frames, mp4.FullName, ffmpeg, cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            Mp4EncodeOutcome.Encoded => null,
            Mp4EncodeOutcome.FfmpegNotStarted => $"ffmpeg could not be started ('{ffmpeg}'): install ffmpeg, pass --ffmpeg <path>, or export --frames instead.",
            _ => result.Message,
        };
    }
}
