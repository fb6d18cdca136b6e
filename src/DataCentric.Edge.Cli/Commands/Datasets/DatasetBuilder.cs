using DataCentric.Edge.Cli.Commands.Prelabels;
using DataCentric.Edge.Core.Recording.Mcap;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// Two passes over the clips, one clip in memory at a time. The first keeps, per frame that passes the
/// filter, only its place and its feature vector (<see cref="FrameCandidate"/>); selection then runs on
/// those (<see cref="KCenterSelector"/>); the second pass reads the clips that have picked frames again
/// and writes those frames with the export's writers into a folder that appears whole or not at all.
/// A clip that cannot be read is skipped and reported with its file and the reader's reason.
/// </summary>
internal sealed class DatasetBuilder(DatasetBuildSettings settings)
{
    public const string ReportFile = "dataset.json";

    public async Task<DatasetBuildReport> BuildAsync(IReadOnlyList<SourceClip> clips, DirectoryInfo output, CancellationToken cancellationToken)
    {
        var problems = new List<DatasetProblem>();
        var readable = new List<SourceClip>();
        var withoutEmbedding = new List<string>();
        foreach (var clip in clips)
        {
            try
            {
                using var stream = new FileStream(clip.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
                var summary = new McapClipReader().ReadSummary(stream);
                readable.Add(clip);
                if (summary.MessageCountsByTopic.GetValueOrDefault(McapClipFormat.SignalTopicFor(settings.EmbeddingSignal)) == 0)
                {
                    withoutEmbedding.Add(clip.Path);
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problems.Add(new DatasetProblem(clip.Path, null, $"skipped: {e.Message}"));
            }
        }

        // One feature space for the whole dataset: embeddings only when every clip has them.
        var useEmbeddings = readable.Count > 0 && withoutEmbedding.Count == 0;
        var candidates = new List<FrameCandidate>();
        var clipsWithoutBoxes = 0;
        for (var i = 0; i < readable.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            clipsWithoutBoxes += Collect(i, readable[i], useEmbeddings, candidates, problems) ? 0 : 1;
        }

        var picked = KCenterSelector.Select(candidates, settings.Count, settings.PerDevice, settings.PerTrigger);
        var uniform = KCenterSelector.Uniform(candidates.Count, picked.Count);
        var threshold = settings.DuplicateDistance ?? NearDuplicates.DefaultThreshold(candidates);
        var report = new DatasetBuildReport(
            settings,
            useEmbeddings ? $"embedding ({settings.EmbeddingSignal})" : FrameFeatures.ThumbnailName,
            useEmbeddings ? null : $"{withoutEmbedding.Count} of {readable.Count} clips carry no '{settings.EmbeddingSignal}' signal",
            clips.Count,
            readable.Count,
            clipsWithoutBoxes,
            candidates,
            picked,
            threshold,
            NearDuplicates.Of(candidates, picked, threshold),
            NearDuplicates.Of(candidates, uniform, threshold),
            problems);

        await AtomicFolder.WriteAsync(output, temp => WriteAsync(readable, candidates, picked, report, temp, cancellationToken)).ConfigureAwait(false);
        return report;
    }

    /// <summary>Adds the clip's frames that pass the filter; false when the clip has no boxes signal.</summary>
    private bool Collect(int clipIndex, SourceClip source, bool useEmbeddings, List<FrameCandidate> candidates, List<DatasetProblem> problems)
    {
        ClipLabels labelled;
        Dictionary<TimeSpan, float[]> embeddings;
        try
        {
            var clip = PrelabelExporter.Read(new FileInfo(source.Path));
            labelled = settings.Labeller.Label(source.Path, clip);
            embeddings = useEmbeddings ? FrameFeatures.Embeddings(clip, settings.EmbeddingSignal) : [];
        }
        catch (PrelabelInputException e)
        {
            problems.Add(new DatasetProblem(source.Path, null, $"skipped: {e.Message}"));
            return true;
        }

        if (!labelled.HasDetections)
        {
            problems.Add(new DatasetProblem(source.Path, null, "no boxes in this clip (it has no detections signal); its frames carry no draft boxes"));
        }

        foreach (var frame in labelled.Frames)
        {
            if (!settings.Filter.Takes(frame, settings.Classes))
            {
                continue;
            }

            float[] feature;
            if (useEmbeddings)
            {
                if (!embeddings.TryGetValue(frame.Frame.Time, out feature!))
                {
                    problems.Add(new DatasetProblem(source.Path, frame.ImageName, "no embedding at this frame (the model skipped it); not a candidate"));
                    continue;
                }
            }
            else
            {
                try
                {
                    feature = FrameFeatures.Thumbnail(frame.Frame);
                }
                catch (InvalidDataException e)
                {
                    problems.Add(new DatasetProblem(source.Path, frame.ImageName, $"skipped: {e.Message}"));
                    continue;
                }
            }

            candidates.Add(new FrameCandidate(
                clipIndex, frame.Frame.Sequence, frame.Frame.Time, frame.Device, frame.TriggerIds, frame.Frame.WallClock.UtcDateTime.Hour,
                [.. (frame.Boxes ?? []).Select(b => settings.Classes.Name(b.ClassId)).Distinct(StringComparer.Ordinal)], feature));
        }

        return labelled.HasDetections;
    }

    private async Task<int> WriteAsync(
        List<SourceClip> clips, List<FrameCandidate> candidates, IReadOnlyList<int> picked, DatasetBuildReport report, string directory, CancellationToken cancellationToken)
    {
        var images = Directory.CreateDirectory(Path.Combine(directory, PrelabelExporter.ImagesFolder)).FullName;
        using var labels = PrelabelExporter.CreateWriter(settings.Format, directory, settings.Classes, settings.ImageUrlBase);
        using var manifest = new ManifestWriter(directory);
        using var review = new ReviewFramesWriter(directory, settings.Classes);
        var written = 0;
        foreach (var byClip in picked.Select(i => candidates[i]).GroupBy(c => c.ClipIndex).OrderBy(g => g.Key))
        {
            var wanted = byClip.Select(c => (c.Sequence, c.Time)).ToHashSet();
            var file = new FileInfo(clips[byClip.Key].Path);
            var clip = PrelabelExporter.Read(file);
            var primaryBoxes = ReviewFramesWriter.PrimaryBoxes(clip);
            foreach (var frame in settings.Labeller.Label(file.FullName, clip).Frames)
            {
                if (!wanted.Contains((frame.Frame.Sequence, frame.Frame.Time)))
                {
                    continue;
                }

                await File.WriteAllBytesAsync(Path.Combine(images, frame.ImageName), frame.Frame.Data, cancellationToken).ConfigureAwait(false);
                labels.Add(frame);
                manifest.Add(frame);
                review.Add(frame, clip, primaryBoxes);
                written++;
            }
        }

        labels.Finish();
        manifest.Finish();
        review.Finish();
        await File.WriteAllTextAsync(Path.Combine(directory, ReportFile), report.ToJson(), cancellationToken).ConfigureAwait(false);
        return written;
    }
}
