namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>Which counters of one fleet to read; buckets starting in [From, To).</summary>
public sealed record TriggerCountQuery(string Fleet)
{
    public string? Device { get; init; }

    public string? TriggerId { get; init; }

    public string? Kind { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>At most this many counters (1 to <see cref="CatalogGuard.MaxCountRows"/>).</summary>
    public int Limit { get; init; } = CatalogGuard.MaxCountRows;

    internal TriggerCountQuery Validated()
    {
        var (from, to) = CatalogGuard.Window(From, To);
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
