namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// Farthest-point (k-center greedy) selection: start from the first candidate, then repeatedly take
/// the candidate farthest from everything taken so far, among those whose device and triggers still
/// have room in their quotas. A long run of look-alike frames (a traffic jam, a car standing still)
/// is then represented by a few frames instead of by its length. O(n·k·d) time, O(n) extra memory.
/// </summary>
internal static class KCenterSelector
{
    public const string NoTrigger = "(none)";

    public static IReadOnlyList<int> Select(IReadOnlyList<FrameCandidate> candidates, int count, int? perDevice, int? perTrigger)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var nearest = new float[candidates.Count];
        Array.Fill(nearest, float.PositiveInfinity);
        var taken = new bool[candidates.Count];
        var byDevice = new Dictionary<string, int>(StringComparer.Ordinal);
        var byTrigger = new Dictionary<string, int>(StringComparer.Ordinal);
        var picked = new List<int>(Math.Min(count, candidates.Count));
        while (picked.Count < count)
        {
            var best = -1;
            for (var i = 0; i < candidates.Count; i++)
            {
                if (!taken[i] && HasRoom(candidates[i], byDevice, byTrigger, perDevice, perTrigger) && (best < 0 || nearest[i] > nearest[best]))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            taken[best] = true;
            picked.Add(best);
            Count(candidates[best], byDevice, byTrigger);
            var center = candidates[best].Feature;
            for (var i = 0; i < candidates.Count; i++)
            {
                if (!taken[i])
                {
                    nearest[i] = Math.Min(nearest[i], FrameFeatures.Distance(candidates[i].Feature, center));
                }
            }
        }

        return picked;
    }

    /// <summary>The same number of frames spread evenly over the candidates in recorded order: the baseline the report compares with.</summary>
    public static IReadOnlyList<int> Uniform(int candidates, int count)
    {
        var n = Math.Min(count, candidates);
        return [.. Enumerable.Range(0, n).Select(i => (int)((long)i * candidates / n))];
    }

    public static IEnumerable<string> Triggers(FrameCandidate candidate) => candidate.TriggerIds.Count == 0 ? [NoTrigger] : candidate.TriggerIds;

    private static bool HasRoom(FrameCandidate candidate, Dictionary<string, int> byDevice, Dictionary<string, int> byTrigger, int? perDevice, int? perTrigger) =>
        (perDevice is not { } d || byDevice.GetValueOrDefault(candidate.Device) < d)
        && (perTrigger is not { } t || Triggers(candidate).All(id => byTrigger.GetValueOrDefault(id) < t));

    private static void Count(FrameCandidate candidate, Dictionary<string, int> byDevice, Dictionary<string, int> byTrigger)
    {
        byDevice[candidate.Device] = byDevice.GetValueOrDefault(candidate.Device) + 1;
        foreach (var id in Triggers(candidate))
        {
            byTrigger[id] = byTrigger.GetValueOrDefault(id) + 1;
        }
    }
}
