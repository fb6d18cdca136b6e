namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>Which devices to list, by fleet then device id, a page at a time.</summary>
public sealed record DeviceQuery
{
    /// <summary>One fleet's devices; every fleet's when null.</summary>
    public string? Fleet { get; init; }

    public int Limit { get; init; } = CatalogGuard.DefaultLimit;

    /// <summary>The <see cref="CatalogPage{T}.Next"/> of the page before.</summary>
    public string? After { get; init; }

    /// <summary>Checks every filter (a clear <see cref="ArgumentException"/> naming it).</summary>
    internal DeviceQuery Validated()
    {
        _ = DevicePageCursor.Decode(After, nameof(After));
        return this with
        {
            Fleet = CatalogGuard.OptionalId(Fleet, nameof(Fleet)),
            Limit = CatalogGuard.Limit(Limit, CatalogGuard.MaxLimit, nameof(Limit)),
        };
    }
}
