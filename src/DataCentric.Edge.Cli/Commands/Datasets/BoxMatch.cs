namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// One frame's boxes against the reviewer's: pairs at IoU ≥ 0.5, greedily by IoU (highest first), each
/// box in at most one pair, whatever the class; then how many pairs agree on the class too.
/// </summary>
internal readonly record struct BoxMatch(int Predicted, int Reviewed, int Matched, int SameClass)
{
    public const double IoUThreshold = 0.5;

    /// <summary>Every reviewed box found, nothing extra, every class right.</summary>
    public bool Agrees => Matched == Predicted && Matched == Reviewed && SameClass == Matched;

    public static BoxMatch Of(IReadOnlyList<ReviewBox> predicted, IReadOnlyList<ReviewBox> reviewed)
    {
        var pairs = new List<(double IoU, int P, int R)>();
        for (var p = 0; p < predicted.Count; p++)
        {
            for (var r = 0; r < reviewed.Count; r++)
            {
                var iou = predicted[p].IoU(reviewed[r]);
                if (iou >= IoUThreshold)
                {
                    pairs.Add((iou, p, r));
                }
            }
        }

        pairs.Sort((a, b) => b.IoU.CompareTo(a.IoU));
        var usedP = new bool[predicted.Count];
        var usedR = new bool[reviewed.Count];
        int matched = 0, same = 0;
        foreach (var (_, p, r) in pairs)
        {
            if (usedP[p] || usedR[r])
            {
                continue;
            }

            usedP[p] = usedR[r] = true;
            matched++;
            same += string.Equals(predicted[p].Class, reviewed[r].Class, StringComparison.Ordinal) ? 1 : 0;
        }

        return new BoxMatch(predicted.Count, reviewed.Count, matched, same);
    }
}
