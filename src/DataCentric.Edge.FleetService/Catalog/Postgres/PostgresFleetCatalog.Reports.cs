using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

/// <summary>Dataset reports in <c>dataset_reports</c> (migration 0005), the JSON as jsonb.</summary>
public sealed partial class PostgresFleetCatalog : IDatasetReports
{
    private const string ReportColumns = "report_id, dataset, kind, created_at, posted_by, posted_at, body::text";

    public async Task<CatalogWrite> AddDatasetReportAsync(DatasetReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        CatalogGuard.Id(report.ReportId, nameof(report.ReportId));
        CatalogGuard.Id(report.Dataset, nameof(report.Dataset));
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO dataset_reports (report_id, dataset, kind, created_at, posted_by, posted_at, body)
            VALUES (@id, @dataset, @kind, @created, @by, @posted, @body::jsonb)
            ON CONFLICT (report_id) DO NOTHING
            """);
        command.Add("id", report.ReportId);
        command.Add("dataset", report.Dataset);
        command.Add("kind", report.Kind);
        command.Add("created", report.CreatedAt);
        command.Add("by", report.PostedBy);
        command.Add("posted", report.PostedAt);
        command.Add("body", report.Json);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            return CatalogWrite.Added;
        }

        // jsonb normalises the text: compare documents, not strings.
        await using var same = dataSource.CreateCommand("SELECT body = @body::jsonb FROM dataset_reports WHERE report_id = @id");
        same.Add("id", report.ReportId);
        same.Add("body", report.Json);
        return await same.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true ? CatalogWrite.AlreadyPresent : CatalogWrite.Conflict;
    }

    public async Task<DatasetReport?> GetDatasetReportAsync(string reportId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ReportColumns} FROM dataset_reports WHERE report_id = @id");
        command.Add("id", reportId);
        var rows = await command.ReadAllAsync(ReadReport, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<DatasetReport>> ListDatasetReportsAsync(string? dataset, string? kind, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand();
        var conditions = new List<string>();
        if (dataset is not null)
        {
            conditions.Add("dataset = @dataset");
            command.Add("dataset", dataset);
        }

        if (kind is not null)
        {
            conditions.Add("kind = @kind");
            command.Add("kind", kind);
        }

        command.CommandText = $"SELECT {ReportColumns} FROM dataset_reports {NpgsqlCommandExtensions.Where(conditions)} ORDER BY created_at DESC, report_id LIMIT @limit";
        command.Add("limit", limit);
        return await command.ReadAllAsync(ReadReport, cancellationToken).ConfigureAwait(false);
    }

    private static DatasetReport ReadReport(NpgsqlDataReader row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), row.GetFieldValue<DateTimeOffset>(3), row.GetString(4), row.GetFieldValue<DateTimeOffset>(5), row.GetString(6));
}
