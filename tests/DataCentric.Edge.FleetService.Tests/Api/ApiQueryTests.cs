using System.Net;
using DataCentric.Edge.FleetService.Catalog;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>Listings over HTTP: bad input answered 400 naming the parameter, filters, and paging.</summary>
[Trait("Category", "Integration")]
public sealed class ApiQueryTests : ApiTestBase
{
    [Theory]
    [InlineData("/api/clips?from=yesterday", "'from'")]
    [InlineData("/api/clips?to=2026-13-45", "'to'")]
    [InlineData("/api/clips?limit=-1", "'limit'")]
    [InlineData("/api/clips?limit=0", "'limit'")]
    [InlineData("/api/clips?limit=1001", "'limit'")]
    [InlineData("/api/clips?limit=99999999999", "'limit'")]
    [InlineData("/api/clips?limit=ten", "'limit'")]
    [InlineData("/api/clips?after=garbage", "'after'")]
    [InlineData("/api/clips?from=2026-12-05T10:00:00Z&to=2026-12-05T09:00:00Z", "'to'")]
    [InlineData("/api/clips?fleeet=acme", "'fleeet'")]
    [InlineData("/api/clips?device=a&device=b", "'device'")]
    [InlineData("/api/clips?label=car%3Bdrop", "'label'")]
    [InlineData("/api/clips?label=%20car", "'label'")]
    [InlineData("/api/clips?label=car&label=bus", "'label'")]
    [InlineData("/api/events?dryRun=maybe", "'dryRun'")]
    [InlineData("/api/events?after=MTIzfA", "'after'")]
    [InlineData("/api/devices?after=MTIzfGM", "'after'")]
    [InlineData("/api/devices?limit=100000", "'limit'")]
    [InlineData("/api/triggers/counts", "'fleet'")]
    [InlineData("/api/triggers/counts?fleet=acme&bucket=7x", "'bucket'")]
    [InlineData("/api/triggers/counts?fleet=acme&bucket=2d", "'bucket'")]
    [InlineData("/api/pulls?fleet=acme&state=lost", "'state'")]
    [InlineData("/api/pulls", "'fleet'")]
    public async Task BadInput_Is400_NamingTheParameter(string path, string named)
    {
        using var client = Api.Client(ApiUnderTest.ViewerToken);

        using var response = await client.GetAsync(path, Ct);

        var detail = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(named, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownClip_Is404()
    {
        using var client = Api.Client(ApiUnderTest.ViewerToken);

        foreach (var path in new[] { "/api/clips/nope", "/api/clips/nope/file", "/api/clips/nope/link" })
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.Contains("'nope'", await ProblemAsync(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Clips_WalkEveryPageOnce_NewestFirst_AndFilterByDeviceTriggerAndWindow()
    {
        var clips = Enumerable.Range(0, 23).Select(i => Clip($"c{i:D2}", T0.AddSeconds(i % 8), device: i % 3 == 0 ? "cam-3" : "cam-1", triggers: i % 2 == 0 ? ["brake"] : ["swerve"])).ToList();
        foreach (var clip in clips)
        {
            await Catalog.AddClipAsync(clip, Ct);
        }

        using var client = Api.Client(ApiUnderTest.ViewerToken);
        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            using var response = await client.GetAsync($"/api/clips?limit=5{(next is null ? string.Empty : "&after=" + next)}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await JsonAsync(response);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("clipId").GetString()!));
            next = page.GetProperty("next").GetString();
            pages++;
        }
        while (next is not null);

        Assert.Equal(5, pages);
        Assert.Equal(clips.OrderByDescending(c => c.StartWall).ThenByDescending(c => c.ClipId, StringComparer.Ordinal).Select(c => c.ClipId), seen);

        using var filtered = await client.GetAsync($"/api/clips?device=cam-3&trigger=brake&from={Uri.EscapeDataString(T0.AddSeconds(3).ToString("O"))}", Ct);
        var expected = clips.Where(c => c.Device == "cam-3" && c.TriggerIds.Contains("brake") && c.EndWall >= Stored(T0.AddSeconds(3)))
            .OrderByDescending(c => c.StartWall).ThenByDescending(c => c.ClipId, StringComparer.Ordinal).Select(c => c.ClipId).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, (await JsonAsync(filtered)).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("clipId").GetString()));
    }

    [Fact]
    public async Task Clips_ByLabel_CombineWithTheOtherFilters_PageByPage_AndShowTheirLabels()
    {
        var clips = Enumerable.Range(0, 13).Select(i => Clip($"c{i:D2}", T0.AddSeconds(i % 5), device: i % 2 == 0 ? "cam-2" : "cam-1")
            with { Labels = i % 3 == 0 ? ["class-0", "class-4"] : ["class-0"] }).ToList();
        foreach (var clip in clips)
        {
            await Catalog.AddClipAsync(clip, Ct);
        }

        using var client = Api.Client(ApiUnderTest.ViewerToken);
        var seen = new List<string>();
        string? next = null;
        do
        {
            using var response = await client.GetAsync($"/api/clips?label=class-4&limit=2{(next is null ? string.Empty : "&after=" + next)}", Ct);
            var page = await JsonAsync(response);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                Assert.Equal(["class-0", "class-4"], item.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
                seen.Add(item.GetProperty("clipId").GetString()!);
            }

            next = page.GetProperty("next").GetString();
        }
        while (next is not null);

        Assert.Equal(Newest(clips.Where(c => c.Labels.Contains("class-4"))), seen);
        using var combined = await client.GetAsync("/api/clips?label=class-4&device=cam-2", Ct);
        var expected = Newest(clips.Where(c => c.Labels.Contains("class-4") && c.Device == "cam-2"));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, (await JsonAsync(combined)).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("clipId").GetString()));
    }

    [Fact]
    public async Task Events_Devices_AndTriggerCounts_AnswerWhatTheCatalogHolds()
    {
        await Catalog.AddEventAsync("acme", "cam-1", Event("e1", at: T0), T0, Ct);
        await Catalog.AddEventAsync("acme", "cam-2", Event("e2", at: T0.AddSeconds(1), dryRun: true), T0, Ct);
        await Catalog.RecordStatusAsync(Status("cam-1", "online"), T0, Ct);
        await Catalog.RecordStatusAsync(Status("cam-2", "paused"), T0, Ct);
        await Catalog.RecordTriggerCountersAsync(Counters(10, [("brake", 3, 1)]), Ct);
        await Catalog.RecordTriggerCountersAsync(Counters(20, [("brake", 7, 1)]), Ct);
        using var client = Api.Client(ApiUnderTest.ViewerToken);

        var events = await JsonAsync(await client.GetAsync("/api/events?fleet=acme", Ct));
        var real = await JsonAsync(await client.GetAsync("/api/events?dryRun=false", Ct));
        var devices = await JsonAsync(await client.GetAsync("/api/devices?fleet=acme&limit=1", Ct));
        var counts = await JsonAsync(await client.GetAsync($"/api/triggers/counts?fleet=acme&kind={TriggerCountKinds.Fires}&bucket=10m", Ct));

        Assert.Equal(["e2", "e1"], events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()));
        Assert.Equal(["e1"], real.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()));
        Assert.Equal("cam-1", Assert.Single(devices.GetProperty("items").EnumerateArray()).GetProperty("device").GetString());
        var rest = await JsonAsync(await client.GetAsync($"/api/devices?fleet=acme&after={devices.GetProperty("next").GetString()}", Ct));
        Assert.Equal(("cam-2", "paused"), (rest.GetProperty("items")[0].GetProperty("device").GetString(), rest.GetProperty("items")[0].GetProperty("state").GetString()));
        Assert.Equal(
            [(Hour0.AddMinutes(10), 3L), (Hour0.AddMinutes(20), 4L)],
            counts.EnumerateArray().Select(c => (c.GetProperty("bucketStart").GetDateTimeOffset(), c.GetProperty("count").GetInt64())));
    }

    private static List<string> Newest(IEnumerable<CatalogClip> clips) =>
        [.. clips.OrderByDescending(c => c.StartWall).ThenByDescending(c => c.ClipId, StringComparer.Ordinal).Select(c => c.ClipId)];

    [Fact]
    public async Task Healthz_NeedsNoToken_Is200_AndIs503WhenTheCatalogIsGone()
    {
        using var client = Api.Client();

        using var healthy = await client.GetAsync("/healthz", Ct);
        Catalog.Dispose();
        using var sick = await client.GetAsync("/healthz", Ct);

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal("ok", (await JsonAsync(healthy)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sick.StatusCode);
        Assert.Equal("unavailable", (await JsonAsync(sick)).GetProperty("status").GetString());
    }
}
