using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>What one export run wrote, and what it has to tell about its input.</summary>
internal sealed record PrelabelExportResult(int Clips, int Frames, int Boxes, int ClippedBoxes, int DroppedBoxes, IReadOnlyList<string> Notices);

/// <summary>
/// Clip files → <c>images/</c>, the format's label files and <c>manifest.jsonl</c>. Everything is
/// written into a hidden folder beside <c>--out</c> and renamed to it at the end, so a refused
/// clip or a crash leaves no half-written dataset behind.
/// </summary>
internal sealed class PrelabelExporter(PrelabelFormat format, ClipFrameLabeller labeller, ClassNames classes, string? imageUrlBase)
{
    public const string ImagesFolder = "images";

    /// <summary>Labelled clips read ahead of the writer: enough to keep both busy, few enough to keep memory flat.</summary>
    private const int QueuedClips = 2;

    public Task<PrelabelExportResult> ExportAsync(IReadOnlyList<FileInfo> clipFiles, DirectoryInfo output, CancellationToken cancellationToken) =>
        AtomicFolder.WriteAsync(output, temp => WriteAllAsync(clipFiles, temp, cancellationToken));

    /// <summary>The format's label writer over <paramref name="directory"/>.</summary>
    public static IPrelabelWriter CreateWriter(PrelabelFormat format, string directory, ClassNames classes, string? imageUrlBase) => format switch
    {
        PrelabelFormat.Coco => new CocoWriter(directory, classes),
        PrelabelFormat.LabelStudio => new LabelStudioWriter(directory, classes, imageUrlBase),
        PrelabelFormat.Yolo => new YoloWriter(directory, classes),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format."),
    };

    private async Task<PrelabelExportResult> WriteAllAsync(IReadOnlyList<FileInfo> clipFiles, string directory, CancellationToken cancellationToken)
    {
        var images = Directory.CreateDirectory(Path.Combine(directory, ImagesFolder)).FullName;
        using var manifest = new ManifestWriter(directory);
        using var labels = CreateWriter(format, directory, classes, imageUrlBase);
        await using var imageWriters = new ImageWriterPool(ImageWriterPool.DefaultWriters);

        // Reading and checking a clip (CRCs, decoding) and writing its frames take about as long as
        // each other, so a reader task runs ahead of the writer. The queue holds a few labelled
        // clips at most: memory stays that of a few clips however many are exported.
        var queue = Channel.CreateBounded<(FileInfo File, ClipLabels Clip)>(new BoundedChannelOptions(QueuedClips)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadClipsAsync(clipFiles, queue.Writer, stop.Token), CancellationToken.None);

        var notices = new List<string>();
        var exported = new Dictionary<string, string>(StringComparer.Ordinal);
        int frames = 0, boxes = 0, clipped = 0, dropped = 0;
        try
        {
            await foreach (var (file, clip) in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // The same clip twice (pulled into two folders, copied): its images would have the same names.
                if (!exported.TryAdd(clip.ClipId, file.FullName))
                {
                    notices.Add($"{file.FullName}: the same clip (id {clip.ClipId}) as {exported[clip.ClipId]}; exported once, from the first.");
                    continue;
                }

                if (!clip.HasDetections)
                {
                    notices.Add($"{file.FullName}: no boxes in this clip (it has no detections signal; a classification or regression model?): its frames are exported without boxes, the model's values are in {ManifestWriter.FileName}.");
                }

                var withoutOutput = 0;
                var clipClipped = 0;
                var clipDropped = 0;
                foreach (var frame in clip.Frames)
                {
                    await imageWriters.WriteAsync(Path.Combine(images, frame.ImageName), frame.Frame.Data, cancellationToken).ConfigureAwait(false);
                    labels.Add(frame);
                    manifest.Add(frame);
                    frames++;
                    boxes += frame.Boxes?.Count ?? 0;
                    clipClipped += frame.ClippedBoxes;
                    clipDropped += frame.DroppedBoxes;
                    withoutOutput += frame.HasShadowOutput ? 0 : 1;
                }

                clipped += clipClipped;
                dropped += clipDropped;
                if (withoutOutput > 0)
                {
                    notices.Add($"{file.FullName}: {withoutOutput} of {clip.Frames.Count} exported frames have no shadow model output (the model skipped them); they carry no draft labels.");
                }

                if (clipClipped + clipDropped > 0)
                {
                    notices.Add($"{file.FullName}: {clipClipped} boxes reached past the image and were clipped to it, {clipDropped} lay wholly outside and were dropped (per frame in {ManifestWriter.FileName}).");
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        // The reader's own error (an unreadable clip) surfaces here, after the clips before it were
        // written to the temporary folder, which the caller then removes.
        await reading.ConfigureAwait(false);
        await imageWriters.CompleteAsync().ConfigureAwait(false);
        labels.Finish();
        manifest.Finish();
        return new PrelabelExportResult(exported.Count, frames, boxes, clipped, dropped, notices);
    }

    /// <summary>Reads and labels the clips in order into <paramref name="queue"/>; completes it however it ends.</summary>
    private async Task ReadClipsAsync(IReadOnlyList<FileInfo> clipFiles, ChannelWriter<(FileInfo, ClipLabels)> queue, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var file in clipFiles)
            {
                var clip = labeller.Label(file.FullName, Read(file));
                await queue.WriteAsync((file, clip), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            queue.Complete();
        }
    }

    /// <exception cref="PrelabelInputException">The clip cannot be read: the message names the file and the reader's reason (with the byte offset).</exception>
    public static ClipContent Read(FileInfo file)
    {
        try
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return new McapClipReader().Read(stream);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new PrelabelInputException($"{file.FullName}: {e.Message} Nothing was written.", e);
        }
    }
}
