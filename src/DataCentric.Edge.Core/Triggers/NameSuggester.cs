namespace DataCentric.Edge.Core.Triggers;

/// <summary>"Did you mean ...?" for signal, function and field names: the closest known name by edit distance.</summary>
public static class NameSuggester
{
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        var allowed = Math.Max(2, name.Length / 3);
        foreach (var candidate in candidates)
        {
            // A truncated name (`wifi` for `wifiOnly`) is a near miss too.
            if (name.Length >= 3 && candidate.StartsWith(name, StringComparison.OrdinalIgnoreCase) && best is null)
            {
                best = candidate;
                bestDistance = allowed;
                continue;
            }

            var distance = Distance(name, candidate, allowed);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Case-insensitive Levenshtein distance; stops early above <paramref name="limit"/>.</summary>
    private static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
