using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataCentric.Edge.FleetService.Catalog;
using Microsoft.AspNetCore.Http.Features;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// Dataset reports from <c>edgectl dataset build|import</c>: an operator posts one (the JSON document
/// as edgectl writes it; <c>reportId</c>, <c>dataset</c>, <c>kind</c> and <c>createdAt</c> are required
/// and checked, the rest is kept as it came), a viewer lists and reads them. The document is parsed with
/// <see cref="JsonNode"/> and answered as stored text: no reflection, fit for the trimmed build.
/// </summary>
internal sealed class DatasetReportEndpoints(IDatasetReports reports, TimeProvider time)
{
    private const long MaxBodyBytes = 4 * 1024 * 1024;

    public async Task<IResult> AddAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var (report, json) = await ReadBodyAsync(context).ConfigureAwait(false);
        var caller = ApiCaller.Of(context)?.Name ?? "?";
        CatalogWrite write;
        try
        {
            write = await reports.AddDatasetReportAsync(
                new DatasetReport(report.Id, report.Dataset, report.Kind, report.CreatedAt, caller, time.GetUtcNow(), json), context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException e) when (e.ParamName is { } field)
        {
            throw new ApiInputException($"body field '{FieldOf(field)}': {e.Message.Replace($" (Parameter '{field}')", string.Empty, StringComparison.Ordinal)}", e);
        }

        return write switch
        {
            CatalogWrite.Added => Stored(json, StatusCodes.Status201Created),
            CatalogWrite.AlreadyPresent => Stored(json, StatusCodes.Status200OK),
            _ => ApiProblems.Of(StatusCodes.Status409Conflict, "Conflict", $"report '{report.Id}' already exists with other content"),
        };
    }

    public async Task<IResult> ListAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "dataset", "kind", "limit");
        var kind = q.Text("kind");
        if (kind is not (null or "build" or "import"))
        {
            throw new ApiInputException($"query parameter 'kind': '{kind}' is not build or import");
        }

        var limit = q.Text("limit") is null ? CatalogGuard.DefaultLimit : q.Limit();
        var list = await reports.ListDatasetReportsAsync(q.Text("dataset"), kind, limit, context.RequestAborted).ConfigureAwait(false);
        var body = new StringBuilder("{\"items\":[");
        body.AppendJoin(',', list.Select(r => r.Json));
        body.Append("]}");
        return Results.Text(body.ToString(), "application/json", Encoding.UTF8);
    }

    public async Task<IResult> GetAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var reportId = (string)context.Request.RouteValues["reportId"]!;
        return await reports.GetDatasetReportAsync(reportId, context.RequestAborted).ConfigureAwait(false) is { } report
            ? Stored(report.Json, StatusCodes.Status200OK)
            : ApiProblems.NotFound($"no dataset report '{reportId}'");
    }

    private static IResult Stored(string json, int status) => Results.Text(json, "application/json", Encoding.UTF8, status);

    private static string FieldOf(string property) => property switch
    {
        "ReportId" => "reportId",
        "Dataset" => "dataset",
        _ => property,
    };

    private static async Task<((string Id, string Dataset, string Kind, DateTimeOffset CreatedAt) Report, string Json)> ReadBodyAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new ApiInputException("the body must be JSON (Content-Type: application/json): a report from edgectl dataset build or import");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new ApiInputException($"the body is not JSON: {e.Message}", e);
        }

        if (node is not JsonObject report)
        {
            throw new ApiInputException("the body must be a JSON object: a report from edgectl dataset build or import");
        }

        var id = Text(report, "reportId");
        var dataset = Text(report, "dataset");
        var kind = Text(report, "kind");
        if (kind is not ("build" or "import"))
        {
            throw new ApiInputException($"body field 'kind': '{kind}' is not build or import");
        }

        var created = Text(report, "createdAt");
        if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var createdAt))
        {
            throw new ApiInputException($"body field 'createdAt': '{created}' is not an ISO 8601 time");
        }

        return ((id, dataset, kind, createdAt), report.ToJsonString());
    }

    private static string Text(JsonObject report, string field) =>
        report[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new ApiInputException($"body field '{field}' is required: a non-empty string");
}
