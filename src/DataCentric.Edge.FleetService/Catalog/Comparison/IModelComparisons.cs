namespace DataCentric.Edge.FleetService.Catalog.Comparison;

/// <summary>Trigger rates and reviewed figures of one model's versions side by side; both catalogs answer it.</summary>
public interface IModelComparisons
{
    /// <summary>
    /// Per version of the model: devices, exposure, events and clips per trigger with their rates, and the
    /// reviewed figures of the stored dataset import reports (see <see cref="ModelComparison"/> for the definitions).
    /// </summary>
    /// <returns>Null when no device of the query's fleet, device and devices reported the model.</returns>
    /// <exception cref="ArgumentException">A filter is not a valid id, or the window ends before it starts.</exception>
    Task<ModelComparison?> CompareModelAsync(ModelComparisonQuery query, CancellationToken cancellationToken);
}
