namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// A dataset report as the catalog keeps it: what <c>edgectl dataset build</c> picked or what
/// <c>edgectl dataset import</c> measured, the JSON document whole, keyed by its id.
/// </summary>
public sealed record DatasetReport(string ReportId, string Dataset, string Kind, DateTimeOffset CreatedAt, string PostedBy, DateTimeOffset PostedAt, string Json);

/// <summary>Dataset reports (build and import) for the console and edgectl; both catalogs keep them.</summary>
public interface IDatasetReports
{
    /// <summary>Stores a report; the same id again changes nothing (<see cref="CatalogWrite.AlreadyPresent"/>), with another body it is a <see cref="CatalogWrite.Conflict"/>.</summary>
    Task<CatalogWrite> AddDatasetReportAsync(DatasetReport report, CancellationToken cancellationToken);

    Task<DatasetReport?> GetDatasetReportAsync(string reportId, CancellationToken cancellationToken);

    /// <summary>A dataset's reports (all datasets' when null), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<DatasetReport>> ListDatasetReportsAsync(string? dataset, string? kind, int limit, CancellationToken cancellationToken);
}
