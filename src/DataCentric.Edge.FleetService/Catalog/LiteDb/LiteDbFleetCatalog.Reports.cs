using LiteDB;

namespace DataCentric.Edge.FleetService.Catalog.LiteDb;

/// <summary>Dataset reports in a collection of their own, the JSON kept as text.</summary>
public sealed partial class LiteDbFleetCatalog : IDatasetReports
{
    private ILiteCollection<BsonDocument> Reports => _database.GetCollection("dataset_reports");

    public Task<CatalogWrite> AddDatasetReportAsync(DatasetReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        CatalogGuard.Id(report.ReportId, nameof(report.ReportId));
        CatalogGuard.Id(report.Dataset, nameof(report.Dataset));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            if (Reports.FindById(report.ReportId) is { } held)
            {
                return Task.FromResult(held["json"].AsString == report.Json ? CatalogWrite.AlreadyPresent : CatalogWrite.Conflict);
            }

            Reports.Insert(new BsonDocument
            {
                ["_id"] = report.ReportId,
                ["dataset"] = report.Dataset,
                ["kind"] = report.Kind,
                ["created"] = CatalogGuard.Time(report.CreatedAt).UtcTicks,
                ["postedBy"] = report.PostedBy,
                ["posted"] = CatalogGuard.Time(report.PostedAt).UtcTicks,
                ["json"] = report.Json,
            });
            CheckpointAndSync();
            return Task.FromResult(CatalogWrite.Added);
        }
    }

    public Task<DatasetReport?> GetDatasetReportAsync(string reportId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Reports.FindById(reportId) is { } held ? ToReport(held) : null);
    }

    public Task<IReadOnlyList<DatasetReport>> ListDatasetReportsAsync(string? dataset, string? kind, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var query = Reports.Query();
        if (dataset is not null)
        {
            query = query.Where(BsonExpression.Create("$.dataset = @0", dataset));
        }

        if (kind is not null)
        {
            query = query.Where(BsonExpression.Create("$.kind = @0", kind));
        }

        return Task.FromResult<IReadOnlyList<DatasetReport>>([.. query.OrderByDescending("$.created").Limit(limit).ToEnumerable().Select(ToReport)]);
    }

    private static DatasetReport ToReport(BsonDocument d) => new(
        d["_id"].AsString, d["dataset"].AsString, d["kind"].AsString, new DateTimeOffset(d["created"].AsInt64, TimeSpan.Zero),
        d["postedBy"].AsString, new DateTimeOffset(d["posted"].AsInt64, TimeSpan.Zero), d["json"].AsString);
}
