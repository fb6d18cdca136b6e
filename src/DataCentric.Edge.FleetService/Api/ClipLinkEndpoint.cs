using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// <c>GET /api/clips/{clipId}/link</c> (viewer): a signed URL of the clip's bytes that needs no token
/// until it expires, and the Foxglove link that opens it (<c>?ds=remote-file&amp;ds.url=</c>).
/// </summary>
internal sealed class ClipLinkEndpoint(IFleetQueries queries, ClipLinkSigner signer, IOptions<ApiOptions> options, TimeProvider time)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        var clipId = CatalogEndpoints.ClipId(context);
        if (await queries.GetClipAsync(clipId, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return ApiProblems.NotFound($"no clip '{clipId}' in the catalog");
        }

        var api = options.Value;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((time.GetUtcNow() + api.LinkValidFor).ToUnixTimeSeconds());
        var (expires, signature) = signer.Sign(clipId, expiresAt);
        var request = context.Request;
        var root = api.PublicUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
        var url = new Uri($"{root}/api/clips/{Uri.EscapeDataString(clipId)}/file?expires={expires}&sig={signature}");
        var foxglove = new Uri($"{api.FoxgloveUrl}?ds=remote-file&ds.url={Uri.EscapeDataString(url.AbsoluteUri)}");
        return Results.Json(new ApiClipLink(clipId, url, expiresAt, foxglove), FleetApiJsonContext.Default.ApiClipLink);
    }
}
