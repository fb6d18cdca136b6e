namespace DataCentric.Edge.FleetService.Catalog.Comparison;

/// <summary>
/// Which version of one model a device ran when: each of its acks for the model sets the active version
/// (0: none) from the ack's time until the next ack.
/// </summary>
internal sealed class ModelTimeline
{
    private readonly List<(DateTimeOffset From, int Version)> _steps;

    public ModelTimeline(IEnumerable<CatalogModelRelease> acks) =>
        _steps = [.. acks.OrderBy(a => a.At).ThenBy(a => a.Version).Select(a => (a.At, a.ActiveVersion))];

    /// <summary>The version active at <paramref name="time"/>; 0 before the first ack or while none ran.</summary>
    public int VersionAt(DateTimeOffset time)
    {
        var version = 0;
        foreach (var (from, v) in _steps)
        {
            if (from > time)
            {
                break;
            }

            version = v;
        }

        return version;
    }

    /// <summary>[<paramref name="start"/>, <paramref name="end"/>) cut where the active version changes, each piece with its version.</summary>
    public IEnumerable<(int Version, TimeSpan Span)> Split(DateTimeOffset start, DateTimeOffset end)
    {
        var cursor = start;
        var version = VersionAt(start);
        foreach (var (from, v) in _steps)
        {
            if (from <= cursor)
            {
                continue;
            }

            if (from >= end)
            {
                break;
            }

            yield return (version, from - cursor);
            (cursor, version) = (from, v);
        }

        if (end > cursor)
        {
            yield return (version, end - cursor);
        }
    }
}
