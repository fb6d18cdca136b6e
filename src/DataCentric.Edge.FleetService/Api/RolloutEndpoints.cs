using System.Text.Json;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Models;
using Microsoft.AspNetCore.Http.Features;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// <c>/api/models/{name}/rollouts…</c>: list and read (viewer), the canaries a percentage picks
/// (viewer), start, promote and halt (operator). See <see cref="ModelRollouts"/>.
/// </summary>
internal sealed class RolloutEndpoints(ModelRollouts rollouts)
{
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public async Task<IResult> ListAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet");
        var list = await rollouts.ListAsync(ModelRoute.Name(context), q.Text("fleet"), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(list, FleetApiJsonContext.Default.IReadOnlyListApiRollout);
    }

    public async Task<IResult> CanariesAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "fleet", "percent");
        _ = ModelRoute.Name(context);
        var fleet = q.Required("fleet");
        var text = q.Required("percent");
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent))
        {
            throw new ApiInputException($"query parameter 'percent': '{text}' is not a whole number 1-100");
        }

        var canaries = await rollouts.CanariesAsync(fleet, percent, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(canaries, FleetApiJsonContext.Default.ApiCanaries);
    }

    public async Task<IResult> GetAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        return Answer(await rollouts.GetAsync(ModelRoute.Name(context), Id(context), context.RequestAborted).ConfigureAwait(false));
    }

    public async Task<IResult> StartAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var name = ModelRoute.Name(context);
        var request = await ReadAsync(context).ConfigureAwait(false);
        return Answer(await rollouts.StartAsync(name, request, Caller(context), context.RequestAborted).ConfigureAwait(false));
    }

    public async Task<IResult> PromoteAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "force");
        return Answer(await rollouts.PromoteAsync(ModelRoute.Name(context), Id(context), q.Flag("force") ?? false, Caller(context), context.RequestAborted)
            .ConfigureAwait(false));
    }

    public async Task<IResult> HaltAsync(HttpContext context)
    {
        var q = new ApiQuery(context.Request, "reason");
        var reason = q.Text("reason");
        if (reason is { Length: > 500 })
        {
            throw new ApiInputException($"query parameter 'reason': {reason.Length} characters; at most 500");
        }

        return Answer(await rollouts.HaltAsync(ModelRoute.Name(context), Id(context), reason, Caller(context), context.RequestAborted).ConfigureAwait(false));
    }

    private static string Id(HttpContext context) => (string?)context.Request.RouteValues["id"] ?? string.Empty;

    private static string Caller(HttpContext context) => ApiCaller.Of(context)?.Name ?? "?";

    private static IResult Answer(RolloutAnswer answer) => answer.Rollout is { } rollout
        ? Results.Json(rollout, FleetApiJsonContext.Default.ApiRollout, statusCode: answer.Status)
        : ApiProblems.Of(answer.Status, answer.Status switch
        {
            StatusCodes.Status404NotFound => "Not found",
            StatusCodes.Status409Conflict => "Conflict",
            _ => "Service unavailable",
        }, answer.Problem ?? string.Empty);

    private static async Task<ApiRolloutRequest> ReadAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new ApiInputException("the body must be JSON (Content-Type: application/json): {canaryPercent, stages: [{envelopes: [...]}]}");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, FleetApiJsonContext.Default.ApiRolloutRequest, context.RequestAborted).ConfigureAwait(false)
                ?? throw new ApiInputException("the body is JSON null; send {canaryPercent, stages: [{envelopes: [...]}]}");
        }
        catch (JsonException e)
        {
            throw new ApiInputException($"the body is not a rollout request {{canaryPercent, stages: [{{envelopes: [...]}}]}}: {e.Message}", e);
        }
    }
}
