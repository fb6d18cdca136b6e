namespace DataCentric.Edge.FleetService.Catalog.Comparison;

/// <summary>Which devices and which window a model comparison covers; every filter applies when set.</summary>
/// <param name="Name">The model name (the Inference:Models entry the releases carry).</param>
public sealed record ModelComparisonQuery(string Name)
{
    public string? Fleet { get; init; }

    public string? Device { get; init; }

    /// <summary>Only these devices (a group's known members); null: every device that reported the model.</summary>
    public IReadOnlyCollection<string>? Devices { get; init; }

    /// <summary>Inclusive start of the window (device time); null: from the first record.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive end of the window (device time); null: up to the last record.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The query with ids checked and times as the catalog stores them.</summary>
    /// <exception cref="ArgumentException">A bad id, or <see cref="To"/> before <see cref="From"/> (named "To").</exception>
    internal ModelComparisonQuery Validated()
    {
        var (from, to) = CatalogGuard.Window(From, To);
        return this with
        {
            Name = CatalogGuard.Id(Name, nameof(Name)),
            Fleet = CatalogGuard.OptionalId(Fleet, nameof(Fleet)),
            Device = CatalogGuard.OptionalId(Device, nameof(Device)),
            Devices = Devices is null ? null : CatalogGuard.Ids([.. Devices], nameof(Devices)),
            From = from,
            To = to,
        };
    }

    /// <summary>The window's ends for range conditions (open ends become the extremes).</summary>
    internal (DateTimeOffset Start, DateTimeOffset End) Bounds => (From ?? DateTimeOffset.MinValue, To ?? DateTimeOffset.MaxValue);
}
