using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Web;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>Serving a clip's bytes: Range, ETag, HEAD, CORS, and signed links that need no token.</summary>
[Trait("Category", "Integration")]
public sealed class ClipFileTests : ApiTestBase
{
    private const int Size = 300_000;

    [Fact]
    public async Task WholeFile_Is200_WithEveryByte_TheSha256AsETag_AndAcceptRanges()
    {
        var (clip, bytes) = await ApiSamples.AddClipWithBytesAsync(Catalog, Store, "c1", Size);
        using var client = Api.Client(ApiUnderTest.ViewerToken);

        using var response = await client.GetAsync("/api/clips/c1/file", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal($"\"{clip.Sha256}\"", response.Headers.ETag?.Tag);
        Assert.Equal(["bytes"], response.Headers.AcceptRanges);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Size, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("bytes=0-0", 0, 1)]
    [InlineData("bytes=1000-1999", 1000, 1000)]
    [InlineData("bytes=299000-", 299_000, 1000)]
    [InlineData("bytes=-500", Size - 500, 500)]
    [InlineData("bytes=-400000", 0, Size)]
    [InlineData("bytes=299990-400000", 299_990, 10)]
    public async Task Range_Is206_WithExactlyThatSlice(string range, int offset, int length)
    {
        var (_, bytes) = await ApiSamples.AddClipWithBytesAsync(Catalog, Store, "c1", Size);
        using var client = Api.Client(ApiUnderTest.ViewerToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/clips/c1/file");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes.AsSpan(offset, length).ToArray(), await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(new ContentRangeHeaderValue(offset, offset + length - 1, Size), response.Content.Headers.ContentRange);
        Assert.Equal(length, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("bytes=300000-")]
    [InlineData("bytes=400000-400100")]
    [InlineData("bytes=-0")]
    public async Task RangePastTheEnd_Is416_WithTheLength(string range)
    {
        await ApiSamples.AddClipWithBytesAsync(Catalog, Store, "c1", Size);
        using var client = Api.Client(ApiUnderTest.ViewerToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/clips/c1/file");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await client.SendAsync(request, Ct);

        await ProblemAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable);
        Assert.Equal("bytes */300000", response.Content.Headers.ContentRange?.ToString());
    }

    [Theory]
    [InlineData("bytes=abc-def")]
    [InlineData("bytes=500-100")]
    [InlineData("items=0-10")]
    [InlineData("bytes=0-10,20-30")]
    [InlineData("bytes=")]
    public async Task MalformedOrMultipleRanges_AreIgnored_TheWholeFileIs200(string range)
    {
        var (_, bytes) = await ApiSamples.AddClipWithBytesAsync(Catalog, Store, "c1", Size);
        using var client = Api.Client(ApiUnderTest.ViewerToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/clips/c1/file");
        request.Headers.TryAddWithoutValidation("Range", range);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task IfRangeOfAnotherVersion_ServesTheWholeFile_IfNoneMatch_Is304_AndHeadSendsNoBody()
    {
        var (clip, bytes) = await ApiSamples.AddClipWithBytesAsync(Catalog, Store, "c1", Size);
        using var client = Api.Client(ApiUnderTest.ViewerToken);
        using var ifRange = new HttpRequestMessage(HttpMethod.Get, "/api/clips/c1/file");
        ifRange.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
        ifRange.Headers.TryAddWithoutValidation("If-Range", "\"another-version\"");
        using var matching = new HttpRequestMessage(HttpMethod.Get, "/api/clips/c1/file");
        matching.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
        matching.Headers.TryAddWithoutValidation("If-Range", $"\"{clip.Sha256}\"");
        using var cached = new HttpRequestMessage(HttpMethod.Get, "/api/clips/c1/file");
        cached.Headers.TryAddWithoutValidation("If-None-Match", $"\"{clip.Sha256}\"");
        using var head = new HttpRequestMessage(HttpMethod.Head, "/api/clips/c1/file");

        using var whole = await client.SendAsync(ifRange, Ct);
        using var part = await client.SendAsync(matching, Ct);
        using var notModified = await client.SendAsync(cached, Ct);
        using var headed = await client.SendAsync(head, Ct);

        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(bytes.AsSpan(0, 10).ToArray(), await part.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, headed.StatusCode);
        Assert.Equal(Size, headed.Content.Headers.ContentLength);
        Assert.Empty(await headed.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task CorsPreflight_FromFoxglove_AllowsRangeAndAuthorization_AndAnotherOriginGetsNoGrant()
    {
        using var client = Api.Client();

        using var foxglove = await client.SendAsync(Preflight("https://app.foxglove.dev"), Ct);
        using var stranger = await client.SendAsync(Preflight("https://evil.example"), Ct);

        Assert.Equal(HttpStatusCode.NoContent, foxglove.StatusCode);
        Assert.Equal(["https://app.foxglove.dev"], foxglove.Headers.GetValues("Access-Control-Allow-Origin"));
        var allowed = string.Join(',', foxglove.Headers.GetValues("Access-Control-Allow-Headers")).ToUpperInvariant();
        Assert.Contains("RANGE", allowed, StringComparison.Ordinal);
        Assert.Contains("AUTHORIZATION", allowed, StringComparison.Ordinal);
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task CorsGet_ExposesContentRangeAndAcceptRanges_ToTheAllowedOrigin()
    {
        await ApiSamples.AddClipWithBytesAsync(Catalog, Store, "c1", Size);
        using var client = Api.Client(ApiUnderTest.ViewerToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/clips/c1/file");
        request.Headers.TryAddWithoutValidation("Origin", "https://app.foxglove.dev");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-99");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(["https://app.foxglove.dev"], response.Headers.GetValues("Access-Control-Allow-Origin"));
        var exposed = string.Join(',', response.Headers.GetValues("Access-Control-Expose-Headers")).ToUpperInvariant();
        foreach (var header in new[] { "CONTENT-RANGE", "ACCEPT-RANGES", "CONTENT-LENGTH" })
        {
            Assert.Contains(header, exposed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignedLink_OpensTheClipWithoutAToken_WithRanges_AndItsFoxgloveLinkCarriesIt()
    {
        var (_, bytes) = await ApiSamples.AddClipWithBytesAsync(Catalog, Store, "c1", Size);
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);
        using var anonymous = Api.Client();

        var link = await JsonAsync(await viewer.GetAsync("/api/clips/c1/link", Ct));
        var url = new Uri(link.GetProperty("url").GetString()!);
        using var whole = await anonymous.GetAsync(url, Ct);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.TryAddWithoutValidation("Range", "bytes=10-19");
        using var part = await anonymous.SendAsync(ranged, Ct);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await whole.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(bytes.AsSpan(10, 10).ToArray(), await part.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), link.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
        var foxglove = new Uri(link.GetProperty("foxgloveUrl").GetString()!);
        Assert.Equal("https://app.foxglove.dev/view", foxglove.GetLeftPart(UriPartial.Path));
        var parameters = HttpUtility.ParseQueryString(foxglove.Query);
        Assert.Equal(("remote-file", url.AbsoluteUri), (parameters["ds"], parameters["ds.url"]));
    }

    [Theory]
    [InlineData("tampered signature", "does not match")]
    [InlineData("later expiry", "does not match")]
    [InlineData("other clip", "does not match")]
    [InlineData("no signature", "needs both")]
    [InlineData("expired", "expired")]
    public async Task BadOrExpiredLink_Is403_WithTheReason(string fault, string reason)
    {
        await ApiSamples.AddClipWithBytesAsync(Catalog, Store, "c1", 1000);
        await ApiSamples.AddClipWithBytesAsync(Catalog, Store, "c2", 1000);
        using var viewer = Api.Client(ApiUnderTest.ViewerToken);
        using var anonymous = Api.Client();
        var url = new Uri((await JsonAsync(await viewer.GetAsync("/api/clips/c1/link", Ct))).GetProperty("url").GetString()!);
        var query = HttpUtility.ParseQueryString(url.Query);
        var (expires, sig) = (query["expires"]!, query["sig"]!);
        var path = fault switch
        {
            "tampered signature" => $"/api/clips/c1/file?expires={expires}&sig={(sig[0] == 'A' ? 'B' : 'A')}{sig[1..]}",
            "later expiry" => $"/api/clips/c1/file?expires={long.Parse(expires, System.Globalization.CultureInfo.InvariantCulture) + 3600}&sig={sig}",
            "other clip" => $"/api/clips/c2/file?expires={expires}&sig={sig}",
            "no signature" => $"/api/clips/c1/file?expires={expires}",
            _ => url.PathAndQuery,
        };
        if (fault == "expired")
        {
            Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        }

        using var response = await anonymous.GetAsync(path, Ct);

        Assert.Contains(reason, await ProblemAsync(response, HttpStatusCode.Forbidden), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/clips/c1/file");
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "range,authorization");
        return request;
    }
}
