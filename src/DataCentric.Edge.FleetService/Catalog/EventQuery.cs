namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>Which events to list; every filter is optional and they combine with AND.</summary>
public sealed record EventQuery
{
    public string? Fleet { get; init; }

    public string? Device { get; init; }

    /// <summary>Events that list this trigger among theirs.</summary>
    public string? TriggerId { get; init; }

    /// <summary>Only dry-run events (true) or only real ones (false).</summary>
    public bool? DryRun { get; init; }

    /// <summary>Events at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Events before this time.</summary>
    public DateTimeOffset? To { get; init; }

    public int Limit { get; init; } = CatalogGuard.DefaultLimit;

    /// <summary>The <see cref="CatalogPage{T}.Next"/> of the page before.</summary>
    public string? After { get; init; }

    /// <summary>Checks every filter (a clear <see cref="ArgumentException"/> naming it) and rounds times as the catalog stores them.</summary>
    internal EventQuery Validated()
    {
        var (from, to) = CatalogGuard.Window(From, To);
        _ = PageCursor.Decode(After, nameof(After));
        return this with
        {
            Fleet = CatalogGuard.OptionalId(Fleet, nameof(Fleet)),
            Device = CatalogGuard.OptionalId(Device, nameof(Device)),
            TriggerId = CatalogGuard.OptionalId(TriggerId, nameof(TriggerId)),
            From = from,
            To = to,
            Limit = CatalogGuard.Limit(Limit, CatalogGuard.MaxLimit, nameof(Limit)),
        };
    }
}
