namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// Keeps a dataset report in a catalog: the local directory catalog's <c>reports/{reportId}.json</c>
/// (written beside it and renamed, so a reader never sees half a report), or the fleet service's
/// <c>POST /api/datasets/reports</c> (operator token).
/// </summary>
internal static class ReportStore
{
    public const string ApiPath = "api/datasets/reports";

    public static async Task<string> SaveLocalAsync(string catalog, string reportId, string json, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(catalog, LocalClipCatalog.ReportsFolder)).FullName;
        var path = Path.Combine(folder, reportId + ".json");
        var temp = Path.Combine(folder, $".{reportId}.json.tmp-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(temp, json, cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: false);
        }
        finally
        {
            File.Delete(temp);
        }

        return path;
    }

    public static async Task<string> SaveFleetAsync(FleetApiClient client, string json, CancellationToken cancellationToken)
    {
        await client.PostJsonAsync(ApiPath, json, cancellationToken).ConfigureAwait(false);
        return new Uri(client.BaseAddress, ApiPath).ToString();
    }
}
