using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Inference;

/// <summary>Greedy, class-aware non-maximum suppression, in place over a scratch buffer.</summary>
internal static class NonMaxSuppression
{
    /// <summary>Sorts the candidates by score and moves the kept ones to the front.</summary>
    /// <returns>How many were kept (at most <paramref name="maxKept"/>).</returns>
    public static int Apply(Span<Detection> candidates, float iouThreshold, int maxKept)
    {
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var kept = 0;
        for (var i = 0; i < candidates.Length && kept < maxKept; i++)
        {
            var candidate = candidates[i];
            var suppressed = false;
            for (var k = 0; k < kept; k++)
            {
                if (candidates[k].ClassId == candidate.ClassId &&
                    Detection.IntersectionOverUnion(candidates[k], candidate) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }

            if (!suppressed)
            {
                candidates[kept++] = candidate;
            }
        }

        return kept;
    }
}
