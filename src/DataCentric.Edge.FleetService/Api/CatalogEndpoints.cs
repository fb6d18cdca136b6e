using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>The catalog's listings and lookups: clips, events, devices, per-trigger counts (viewer).</summary>
internal sealed class CatalogEndpoints(IFleetQueries queries)
{
    public async Task<IResult> ListClipsAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet", "device", "trigger", "model", "label", "from", "to", "limit", "after");
        var query = new ClipQuery
        {
            Fleet = q.Text("fleet"),
            Device = q.Text("device"),
            TriggerId = q.Text("trigger"),
            ModelSha256 = q.Text("model"),
            Label = q.Text("label"),
            From = q.Time("from"),
            To = q.Time("to"),
            Limit = q.Limit(),
            After = q.Text("after"),
        };
        var page = await queries.ListClipsAsync(query, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(page.ToApi(c => c.ToApi()), FleetApiJsonContext.Default.ApiPageApiClip);
    }

    public async Task<IResult> GetClipAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var clipId = ClipId(context);
        return await queries.GetClipAsync(clipId, context.RequestAborted).ConfigureAwait(false) is { } clip
            ? Results.Json(clip.ToApi(), FleetApiJsonContext.Default.ApiClip)
            : ApiProblems.NotFound($"no clip '{clipId}' in the catalog");
    }

    public async Task<IResult> ListEventsAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet", "device", "trigger", "dryRun", "from", "to", "limit", "after");
        var query = new EventQuery
        {
            Fleet = q.Text("fleet"),
            Device = q.Text("device"),
            TriggerId = q.Text("trigger"),
            DryRun = q.Flag("dryRun"),
            From = q.Time("from"),
            To = q.Time("to"),
            Limit = q.Limit(),
            After = q.Text("after"),
        };
        var page = await queries.ListEventsAsync(query, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(page.ToApi(e => e.ToApi()), FleetApiJsonContext.Default.ApiPageApiEvent);
    }

    public async Task<IResult> ListDevicesAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet", "limit", "after");
        var query = new DeviceQuery { Fleet = q.Text("fleet"), Limit = q.Limit(), After = q.Text("after") };
        var page = await queries.ListDevicePageAsync(query, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(page.ToApi(d => d.ToApi()), FleetApiJsonContext.Default.ApiPageApiDevice);
    }

    public async Task<IResult> ListTriggerCountsAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet", "device", "trigger", "kind", "from", "to", "bucket", "limit");
        var query = new TriggerCountQuery(q.Required("fleet"))
        {
            Device = q.Text("device"),
            TriggerId = q.Text("trigger"),
            Kind = q.Text("kind"),
            From = q.Time("from"),
            To = q.Time("to"),
        };
        query = q.Duration("bucket") is { } bucket ? query with { Bucket = bucket } : query;
        query = q.Text("limit") is null ? query : query with { Limit = q.Limit() };
        var counts = await queries.ListTriggerCountsAsync(query, context.RequestAborted).ConfigureAwait(false);
        return Results.Json<IReadOnlyList<ApiTriggerCount>>([.. counts.Select(c => c.ToApi())], FleetApiJsonContext.Default.IReadOnlyListApiTriggerCount);
    }

    public static string ClipId(HttpContext context) => (string)context.Request.RouteValues["clipId"]!;
}
