namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>How alike the frames of a selection are: the mean distance from each frame to its nearest other frame, and how many frames have another within the threshold.</summary>
internal sealed record NearDuplicates(double MeanNearestDistance, int WithinThreshold)
{
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
