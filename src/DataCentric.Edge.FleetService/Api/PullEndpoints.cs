using System.Text.Json;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;
using Microsoft.AspNetCore.Http.Features;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// Pulls: list and read them (viewer), ask for one (operator). A new pull is recorded as requested and
/// handed to the <see cref="PullDispatcher"/>, which sends it to the device in the background (202);
/// without the operator link it is only recorded, with a detail that says why (201).
/// </summary>
internal sealed class PullEndpoints(IPullRequests pulls, OperatorLink link, PullDispatcher dispatcher, TimeProvider time, ILogger<PullEndpoints> logger)
{
    private const long MaxBodyBytes = 16 * 1024;

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

    private static async Task<ApiNewPull> ReadBodyAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new ApiInputException("the body must be JSON (Content-Type: application/json): {fleet, device, windowFrom, windowTo, priority?, pullId?}");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, FleetApiJsonContext.Default.ApiNewPull, context.RequestAborted).ConfigureAwait(false)
                ?? throw new ApiInputException("the body is null; send {fleet, device, windowFrom, windowTo}");
        }
        catch (JsonException e)
        {
            throw new ApiInputException($"the body is not a pull request: {e.Message}", e);
        }
    }
}
