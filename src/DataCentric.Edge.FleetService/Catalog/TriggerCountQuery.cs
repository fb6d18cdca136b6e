namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>Which counters of one fleet to read; buckets starting in [From, To).</summary>
public sealed record TriggerCountQuery(string Fleet)
{
    public string? Device { get; init; }

    public string? TriggerId { get; init; }

    public string? Kind { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>The width of a bucket (1 second to 1 day), counted in whole buckets from the Unix epoch.</summary>
    public TimeSpan Bucket { get; init; } = TimeSpan.FromHours(1);

    /// <summary>At most this many counters (1 to <see cref="CatalogGuard.MaxCountRows"/>).</summary>
    public int Limit { get; init; } = CatalogGuard.MaxCountRows;

    internal TriggerCountQuery Validated()
    {
        var (from, to) = CatalogGuard.Window(From, To);
        ArgumentOutOfRangeException.ThrowIfLessThan(Bucket, TimeSpan.FromSeconds(1), nameof(Bucket));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Bucket, TimeSpan.FromDays(1), nameof(Bucket));
        if (Bucket.Ticks % TimeSpan.TicksPerMicrosecond != 0)
        {
            throw new ArgumentException($"Bucket {Bucket} is not a whole number of microseconds.", nameof(Bucket));
        }

        return this with
        {
            Fleet = CatalogGuard.Id(Fleet, nameof(Fleet)),
            Device = CatalogGuard.OptionalId(Device, nameof(Device)),
            TriggerId = CatalogGuard.OptionalId(TriggerId, nameof(TriggerId)),
            Kind = CatalogGuard.OptionalId(Kind, nameof(Kind)),
            From = from,
            To = to,
            Limit = CatalogGuard.Limit(Limit, CatalogGuard.MaxCountRows, nameof(Limit)),
        };
    }
}
