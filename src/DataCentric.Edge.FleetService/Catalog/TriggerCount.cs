namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// How many times one trigger of one device did one thing (<see cref="TriggerCountKinds"/>) in the
/// bucket of time starting at <paramref name="BucketStart"/>. Written as a delta, read as the total.
/// </summary>
public sealed record TriggerCount(string Fleet, string Device, string TriggerId, DateTimeOffset BucketStart, string Kind, long Count)
{
    internal TriggerCount Validated()
    {
        CatalogGuard.Id(Fleet, nameof(Fleet));
        CatalogGuard.Id(Device, nameof(Device));
        CatalogGuard.Id(TriggerId, nameof(TriggerId));
        CatalogGuard.Id(Kind, nameof(Kind));
        ArgumentOutOfRangeException.ThrowIfNegative(Count);
        return this with { BucketStart = CatalogGuard.Time(BucketStart) };
    }

    /// <summary>The counter's identity, ordinal, for sorting and merging deltas of one batch.</summary>
    internal (string Fleet, string Device, string TriggerId, DateTimeOffset BucketStart, string Kind) Key =>
        (Fleet, Device, TriggerId, BucketStart, Kind);

    /// <summary>Validates a batch and merges deltas of the same counter, in a fixed order (so concurrent batches lock rows alike).</summary>
    internal static List<TriggerCount> Merge(IReadOnlyCollection<TriggerCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var merged = new Dictionary<(string, string, string, DateTimeOffset, string), TriggerCount>();
        foreach (var count in counts)
        {
            ArgumentNullException.ThrowIfNull(count, nameof(counts));
            var valid = count.Validated();
            merged[valid.Key] = merged.TryGetValue(valid.Key, out var earlier)
                ? earlier with { Count = checked(earlier.Count + valid.Count) }
                : valid;
        }

        return [.. merged.Values
            .Where(c => c.Count > 0)
            .OrderBy(c => c.Fleet, StringComparer.Ordinal)
            .ThenBy(c => c.Device, StringComparer.Ordinal)
            .ThenBy(c => c.TriggerId, StringComparer.Ordinal)
            .ThenBy(c => c.BucketStart)
            .ThenBy(c => c.Kind, StringComparer.Ordinal)];
    }
}
