using System.Globalization;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.ObjectStore;
using Microsoft.Net.Http.Headers;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// <c>GET|HEAD /api/clips/{clipId}/file</c>: the MCAP bytes, whole or one Range (206; 416 past the end),
/// streamed from the object store with bounded memory; ETag is the SHA-256. Access: a viewer token,
/// or a signed link (<c>?expires=&amp;sig=</c>) so that Foxglove can open it by URL.
/// </summary>
internal sealed class ClipFileEndpoint(
    IFleetQueries queries, IClipObjectStore store, ApiAccess access, ClipLinkSigner signer, ILogger<ClipFileEndpoint> logger)
{
    private const int CopyBufferBytes = 81920;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var query = new ApiQuery(context.Request, "expires", "sig");
        var clipId = CatalogEndpoints.ClipId(context);
        if (context.Request.Query.ContainsKey("sig") || context.Request.Query.ContainsKey("expires"))
        {
            if (signer.Check(clipId, query.Text("expires"), query.Text("sig")) is { } reason)
            {
                FleetApiLog.BadLink(logger, clipId, context.Connection.RemoteIpAddress?.ToString(), reason);
                return ApiProblems.Forbidden(reason);
            }
        }
        else if (access.Authorize(context, ApiRole.Viewer) is { } denied)
        {
            return denied;
        }

        var cancellationToken = context.RequestAborted;
        if (await queries.GetClipAsync(clipId, cancellationToken).ConfigureAwait(false) is not { } clip)
        {
            return ApiProblems.NotFound($"no clip '{clipId}' in the catalog");
        }

        var response = context.Response;
        var etag = new EntityTagHeaderValue($"\"{clip.Sha256}\"");
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = etag.ToString();
        if (Matches(context.Request.Headers.IfNoneMatch, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var requested = RangeToServe(context.Request, etag);
        ClipObjectContent? content;
        try
        {
            content = await store.OpenReadAsync(clip.ObjectKey, await ToStoreRangeAsync(requested, clip, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ClipRangeNotSatisfiableException e)
        {
            response.Headers.ContentRange = $"bytes */{e.ObjectLength}";
            return ApiProblems.Of(
                StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable", $"header 'Range: {context.Request.Headers.Range}' starts past the end of clip '{clipId}' ({e.ObjectLength} bytes)");
        }

        if (content is null)
        {
            FleetApiLog.ObjectMissing(logger, clipId, clip.ObjectKey);
            return ApiProblems.NotFound($"clip '{clipId}' is catalogued but its bytes are not in the object store");
        }

        await using (content.ConfigureAwait(false))
        {
            response.StatusCode = requested is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
            if (requested is not null)
            {
                response.Headers.ContentRange = string.Create(
                    CultureInfo.InvariantCulture, $"bytes {content.Offset}-{content.Offset + content.Length - 1}/{content.Info.Length}");
            }

            response.ContentType = "application/octet-stream";
            response.ContentLength = content.Length;
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileNameStar = clip.FileName }.ToString();
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await content.Content.CopyToAsync(response.Body, CopyBufferBytes, cancellationToken).ConfigureAwait(false);
            }
        }

        return Results.Empty;
    }

    /// <summary>The Range to honour: none when absent, malformed or several, or when If-Range names another version.</summary>
    private static HttpByteRange? RangeToServe(HttpRequest request, EntityTagHeaderValue etag)
    {
        var range = HttpByteRange.Parse(request.Headers.Range.Count == 1 ? request.Headers.Range[0] : null);
        var ifRange = request.Headers[HeaderNames.IfRange].ToString();
        return range is not null && ifRange.Length > 0 && ifRange != etag.Tag.ToString() ? null : range;
    }

    private async Task<ClipByteRange?> ToStoreRangeAsync(HttpByteRange? range, CatalogClip clip, CancellationToken cancellationToken)
    {
        switch (range)
        {
            case null:
                return null;
            case { Suffix: { } suffix }:
                // bytes=-N: the last N bytes, so the length is needed first.
                var length = (await store.HeadAsync(clip.ObjectKey, cancellationToken).ConfigureAwait(false))?.Length ?? clip.SizeBytes;
                if (suffix == 0 || length == 0)
                {
                    throw new ClipRangeNotSatisfiableException(clip.ObjectKey, new ClipByteRange(length), length);
                }

                return new ClipByteRange(Math.Max(0, length - suffix));
            case { First: { } first, Last: { } last }:
                return ClipByteRange.FromInclusive(first, last);
            case { First: { } from }:
                return new ClipByteRange(from);
            default:
                return null;
        }
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, EntityTagHeaderValue etag) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags) && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));
}
