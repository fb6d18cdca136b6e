using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>Stateless helpers that compiled conditions call. Every input, even null or NaN, has a defined result.</summary>
internal static class TriggerFunctions
{
    /// <summary>Like <see cref="Math.Clamp(double, double, double)"/> but never throws: bounds given the wrong way round are swapped.</summary>
    public static double Clamp(double value, double low, double high)
    {
        if (low > high)
        {
            (low, high) = (high, low);
        }

        return double.IsNaN(value) ? value : Math.Min(Math.Max(value, low), high);
    }

    public static bool TextEquals(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    public static bool ClassMismatchText(string? a, string? b) => !string.Equals(a, b, StringComparison.Ordinal);

    public static bool ClassMismatchNumber(double a, double b) => Math.Round(a) != Math.Round(b);

    /// <summary>The best-scoring classes differ; one side seeing something and the other nothing counts too.</summary>
    public static bool ClassMismatchDetections(Detection[]? a, Detection[]? b)
    {
        var classA = TopClass(a);
        var classB = TopClass(b);
        return classA != classB;
    }

    /// <summary>Some box on one side has no box on the other side with IoU at or above the threshold.</summary>
    public static bool IouMiss(Detection[]? a, Detection[]? b, double threshold)
    {
        a ??= [];
        b ??= [];
        return HasUnmatched(a, b, threshold) || HasUnmatched(b, a, threshold);
    }

    public static double Count(Detection[]? detections) => detections?.Length ?? 0;

    public static double CountAbove(Detection[]? detections, double minScore)
    {
        var count = 0;
        foreach (var detection in detections ?? [])
        {
            if (detection.Score >= minScore)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Highest score, 0 when there are no detections.</summary>
    public static double MaxScore(Detection[]? detections)
    {
        double best = 0;
        foreach (var detection in detections ?? [])
        {
            best = Math.Max(best, detection.Score);
        }

        return best;
    }

    private static int TopClass(Detection[]? detections)
    {
        var best = -1;
        var bestScore = float.NegativeInfinity;
        foreach (var detection in detections ?? [])
        {
            if (detection.Score > bestScore)
            {
                best = detection.ClassId;
                bestScore = detection.Score;
            }
        }

        return best;
    }

    private static bool HasUnmatched(Detection[] from, Detection[] to, double threshold)
    {
        foreach (var candidate in from)
        {
            var matched = false;
            foreach (var other in to)
            {
                if (Detection.IntersectionOverUnion(candidate, other) >= threshold)
                {
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                return true;
            }
        }

        return false;
    }
}
