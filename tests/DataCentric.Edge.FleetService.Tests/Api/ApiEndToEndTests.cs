using System.Net;
using System.Security.Cryptography;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using DataCentric.Edge.FleetService.ObjectStore.S3;
using DataCentric.Edge.FleetService.Tests.Catalog;
using DataCentric.Edge.FleetService.Tests.ObjectStore;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>The API over what a fleet runs: the catalog in a real PostgreSQL, the bytes in a real S3 server (s3rver).</summary>
[Trait("Category", "Integration")]
public sealed class ApiEndToEndTests(PostgresServerFixture postgres, S3rverFixture s3) : IClassFixture<PostgresServerFixture>, IClassFixture<S3rverFixture>
{
    [Fact]
    public async Task ClipInS3AndPostgres_IsListed_ItsRangeIsTheObjectsSlice_AndItsSignedLinkGivesTheWholeObject()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("dce-fleet-api-e2e");
        await using var dataSource = await postgres.CreateMigratedDatabaseAsync();
        var catalog = new PostgresFleetCatalog(dataSource);
        var store = new S3ClipObjectStore(s3.Client, s3.Options(S3Options.MinPartBytes), TimeProvider.System, NullLogger<S3ClipObjectStore>.Instance);
        var (clip, bytes) = await ApiSamples.AddClipWithBytesAsync(catalog, store, "e2e-1", 6 * 1024 * 1024 + 123, prefix: $"api-{Guid.NewGuid():N}/");
        await using var api = await ApiUnderTest.StartAsync(catalog, store, dir);
        using var client = api.Client(ApiUnderTest.ViewerToken);
        using var anonymous = api.Client();

        using var listed = await client.GetAsync("/api/clips?fleet=acme&device=cam-1", ct);
        using var range = new HttpRequestMessage(HttpMethod.Get, "/api/clips/e2e-1/file");
        range.Headers.TryAddWithoutValidation("Range", "bytes=5242000-5243999");
        using var part = await client.SendAsync(range, ct);
        using var link = await client.GetAsync("/api/clips/e2e-1/link", ct);
        using var linkDocument = System.Text.Json.JsonDocument.Parse(await link.Content.ReadAsStringAsync(ct));
        using var whole = await anonymous.GetAsync(linkDocument.RootElement.GetProperty("url").GetString(), ct);

        Assert.Contains("\"clipId\":\"e2e-1\"", await listed.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes.AsSpan(5_242_000, 2000).ToArray(), await part.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal($"bytes 5242000-5243999/{bytes.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var received = await whole.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(bytes.Length, received.Length);
        Assert.Equal(clip.Sha256, Convert.ToHexStringLower(SHA256.HashData(received)));
    }
}
