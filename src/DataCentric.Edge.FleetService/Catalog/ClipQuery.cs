namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>Which clips to list; every filter is optional and they combine with AND.</summary>
public sealed record ClipQuery
{
    public string? Fleet { get; init; }

    public string? Device { get; init; }

    /// <summary>Clips that list this trigger among theirs.</summary>
    public string? TriggerId { get; init; }

    public string? ModelSha256 { get; init; }

    /// <summary>Clips whose shadow model detected this class (<see cref="CatalogClip.Labels"/>).</summary>
    public string? Label { get; init; }

    /// <summary>Clips that end at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Clips that start before this time.</summary>
    public DateTimeOffset? To { get; init; }

    public int Limit { get; init; } = CatalogGuard.DefaultLimit;

    /// <summary>The <see cref="CatalogPage{T}.Next"/> of the page before.</summary>
    public string? After { get; init; }

    /// <summary>Checks every filter (a clear <see cref="ArgumentException"/> naming it) and rounds times as the catalog stores them.</summary>
    internal ClipQuery Validated()
    {
        var (from, to) = CatalogGuard.Window(From, To);
        _ = PageCursor.Decode(After, nameof(After));
        return this with
        {
            Fleet = CatalogGuard.OptionalId(Fleet, nameof(Fleet)),
            Device = CatalogGuard.OptionalId(Device, nameof(Device)),
            TriggerId = CatalogGuard.OptionalId(TriggerId, nameof(TriggerId)),
            ModelSha256 = CatalogGuard.OptionalId(ModelSha256, nameof(ModelSha256)),
            Label = ClipLabel.Optional(Label, nameof(Label)),
            From = from,
            To = to,
            Limit = CatalogGuard.Limit(Limit, CatalogGuard.MaxLimit, nameof(Limit)),
        };
    }
}
