using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>
/// The console's pages, scripts and styles, embedded in the assembly at build time (uPlot included,
/// from npm): nothing is read from disk or a CDN at run time, and Native AOT keeps them.
/// </summary>
internal sealed class ConsoleAssets
{
    public const string ResourcePrefix = "WebConsole/";

    /// <summary>Scripts and styles come from this service only; frames are blob: URLs made from fetched images.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private readonly FrozenDictionary<string, (byte[] Bytes, string MediaType, string ETag)> _assets;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            assets[name[ResourcePrefix.Length..]] = (bytes, MediaTypeOf(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The asset paths (relative to /console/), for tests and the start-up check.</summary>
    public IReadOnlyCollection<string> Paths => _assets.Keys;

    public IResult Serve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.RouteValues["path"] as string;
        if (string.IsNullOrEmpty(path))
        {
            // The pages load their scripts by relative URLs, which need the trailing slash.
            if (!context.Request.Path.Value!.EndsWith('/'))
            {
                return Results.Redirect("/console/");
            }

            path = "index.html";
        }

        if (!_assets.TryGetValue(path, out var asset))
        {
            return Api.ApiProblems.NotFound($"the console has no file '{path}'");
        }

        var headers = context.Response.Headers;
        headers[HeaderNames.ETag] = asset.ETag;
        headers[HeaderNames.CacheControl] = "no-cache";
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.MediaType);
    }

    private static string MediaTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
