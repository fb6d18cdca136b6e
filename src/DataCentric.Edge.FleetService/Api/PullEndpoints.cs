using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;
using Microsoft.AspNetCore.Http.Features;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// Pulls: list and read them (viewer), ask for one (operator). A new pull is recorded as requested and
/// handed to the <see cref="PullDispatcher"/>, which sends it to the device in the background (202);
/// without the operator link it is only recorded, with a detail that says why (201). Cancel withdraws a
/// pull at the service (operator): the contract has no command that stops a device's upload.
/// </summary>
internal sealed class PullEndpoints(IPullRequests pulls, OperatorLink link, PullDispatcher dispatcher, TimeProvider time, ILogger<PullEndpoints> logger)
{
    private const long MaxBodyBytes = 16 * 1024;
    private const int MaxReasonLength = 500;

    /// <summary>What a cancelled pull's detail says: the device is not told (CONTRACT.md has no such command).</summary>
    public const string WithdrawnOnly = "withdrawn at the service only: the device has no cancel command, so a clip it was already asked for still arrives";

    public async Task<IResult> ListAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet", "device", "state");
        var list = await pulls.ListPullsAsync(q.Required("fleet"), q.Text("device"), q.State("state"), context.RequestAborted).ConfigureAwait(false);
        return Results.Json<IReadOnlyList<ApiPull>>([.. list.Select(p => p.ToApi())], FleetApiJsonContext.Default.IReadOnlyListApiPull);
    }

    public async Task<IResult> GetAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var pullId = (string)context.Request.RouteValues["pullId"]!;
        return await pulls.GetPullAsync(pullId, context.RequestAborted).ConfigureAwait(false) is { } pull
            ? Results.Json(pull.ToApi(), FleetApiJsonContext.Default.ApiPull)
            : ApiProblems.NotFound($"no pull '{pullId}'");
    }

    public async Task<IResult> AddAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        return await RecordAsync(context, body).ConfigureAwait(false);
    }

    /// <summary>Records a new pull and queues it for its device (the answer of <c>POST /api/pulls</c>; the console's add checks more first).</summary>
    public async Task<IResult> RecordAsync(HttpContext context, ApiNewPull body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        var now = time.GetUtcNow();
        var pull = new PullRequest(
            body.PullId ?? $"pull-{Guid.CreateVersion7(now):N}", body.Fleet, body.Device, body.WindowFrom, body.WindowTo, body.Priority,
            PullState.Requested, link.IsConfigured ? null : $"not sent: {OperatorLink.NotConfiguredReason}", now, now);
        CatalogWrite write;
        try
        {
            write = await pulls.AddPullAsync(pull, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException e) when (e.ParamName is { } field)
        {
            throw new ApiInputException($"body field '{ApiQuery.ParameterOf(field)}': {e.Message.Replace($" (Parameter '{field}')", string.Empty, StringComparison.Ordinal)}", e);
        }

        switch (write)
        {
            case CatalogWrite.Added:
                FleetApiLog.PullRecorded(logger, pull.PullId, pull.Fleet, pull.Device, ApiCaller.Of(context)?.Name ?? "?");
                var added = await pulls.GetPullAsync(pull.PullId, context.RequestAborted).ConfigureAwait(false);
                var queued = dispatcher.Enqueue(pull.PullId);
                return Results.Json(added!.ToApi(), FleetApiJsonContext.Default.ApiPull, statusCode: queued ? StatusCodes.Status202Accepted : StatusCodes.Status201Created);
            case CatalogWrite.AlreadyPresent:
                // A retry of a pull still requested queues it again (unless it is already on its way): after a restart, posting it again resends it.
                var held = await pulls.GetPullAsync(pull.PullId, context.RequestAborted).ConfigureAwait(false);
                if (held!.State == PullState.Requested)
                {
                    dispatcher.Enqueue(held.PullId);
                }

                return Results.Json(held.ToApi(), FleetApiJsonContext.Default.ApiPull);
            default:
                return ApiProblems.Of(StatusCodes.Status409Conflict, "Conflict", $"pull '{pull.PullId}' already exists for another device or window");
        }
    }

    /// <summary>
    /// <c>POST /api/pulls/{id}/cancel</c> <c>{reason?}</c>: a requested or sent pull becomes cancelled (the dispatcher sends
    /// nothing more for it); cancelling a cancelled pull answers it again (200); a completed or failed one is 409.
    /// </summary>
    public async Task<IResult> CancelAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var pullId = (string)context.Request.RouteValues["pullId"]!;
        var body = await ReadJsonAsync(context, FleetApiJsonContext.Default.ApiPullCancel, "{reason?}").ConfigureAwait(false);
        if (body.Reason is { Length: > MaxReasonLength })
        {
            throw new ApiInputException($"body field 'reason': at most {MaxReasonLength} characters");
        }

        var who = ApiCaller.Of(context)?.Name ?? "?";
        var detail = $"cancelled by {who}{(string.IsNullOrWhiteSpace(body.Reason) ? string.Empty : $" ({body.Reason.Trim()})")}: {WithdrawnOnly}";
        foreach (var from in (PullState[])[PullState.Requested, PullState.Sent])
        {
            if (await pulls.TryMovePullAsync(pullId, from, PullState.Cancelled, detail, time.GetUtcNow(), context.RequestAborted).ConfigureAwait(false))
            {
                var cancelled = await pulls.GetPullAsync(pullId, context.RequestAborted).ConfigureAwait(false);
                FleetApiLog.PullCancelled(logger, pullId, cancelled!.Fleet, cancelled.Device, CatalogGuard.Name(from), who);
                return Results.Json(cancelled.ToApi(), FleetApiJsonContext.Default.ApiPull);
            }
        }

        return await pulls.GetPullAsync(pullId, context.RequestAborted).ConfigureAwait(false) switch
        {
            null => ApiProblems.NotFound($"no pull '{pullId}'"),
            { State: PullState.Cancelled } held => Results.Json(held.ToApi(), FleetApiJsonContext.Default.ApiPull),
            var held => ApiProblems.Of(StatusCodes.Status409Conflict, "Conflict", $"pull '{pullId}' is {CatalogGuard.Name(held.State)} already: there is nothing left to cancel"),
        };
    }

    private static Task<ApiNewPull> ReadBodyAsync(HttpContext context) =>
        ReadJsonAsync(context, FleetApiJsonContext.Default.ApiNewPull, "{fleet, device, windowFrom, windowTo, priority?, pullId?}");

    private static async Task<T> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type, string expected)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new ApiInputException($"the body must be JSON (Content-Type: application/json): {expected}");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted).ConfigureAwait(false)
                ?? throw new ApiInputException($"the body is null; send {expected}");
        }
        catch (JsonException e)
        {
            throw new ApiInputException($"the body is not {expected}: {e.Message}", e);
        }
    }
}
