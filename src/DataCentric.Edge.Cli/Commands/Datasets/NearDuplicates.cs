namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>How alike the frames of a selection are: the mean distance from each frame to its nearest other frame, and how many frames have another within the threshold.</summary>
internal sealed record NearDuplicates(double MeanNearestDistance, int WithinThreshold)
{
    /// <summary>
    /// A tenth of the mean distance between two candidate frames (up to 4000 pairs drawn with a fixed
    /// seed): "much closer than frames usually are", whatever the feature space's scale.
    /// </summary>
    public static double DefaultThreshold(IReadOnlyList<FrameCandidate> candidates)
    {
        if (candidates.Count < 2)
        {
            return 0;
        }

        var random = new Random(17);
        double sum = 0;
        var pairs = Math.Min(4000, candidates.Count * (candidates.Count - 1) / 2);
        for (var n = 0; n < pairs; n++)
        {
            var i = random.Next(candidates.Count);
            var j = (i + 1 + random.Next(candidates.Count - 1)) % candidates.Count;
            sum += FrameFeatures.Distance(candidates[i].Feature, candidates[j].Feature);
        }

        return sum / pairs / 10;
    }

    public static NearDuplicates Of(IReadOnlyList<FrameCandidate> candidates, IReadOnlyList<int> selection, double threshold)
    {
        if (selection.Count < 2)
        {
            return new NearDuplicates(0, 0);
        }

        double sum = 0;
        var within = 0;
        foreach (var i in selection)
        {
            var nearest = float.PositiveInfinity;
            foreach (var j in selection)
            {
                if (i != j)
                {
                    nearest = Math.Min(nearest, FrameFeatures.Distance(candidates[i].Feature, candidates[j].Feature));
                }
            }

            sum += nearest;
            within += nearest <= threshold ? 1 : 0;
        }

        return new NearDuplicates(sum / selection.Count, within);
    }
}
