using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.FleetService.WebConsole;
using DataCentric.Edge.FleetService.WebConsole.Triggers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static DataCentric.Edge.FleetService.Tests.Api.ApiUnderTest;
using static DataCentric.Edge.FleetService.Tests.WebConsole.Triggers.TriggerSamples;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Triggers;

/// <summary>Backtests on the clips the fleet stores (real MCAP in a real object store, a real LiteDB catalog), off the request thread.</summary>
public sealed class BacktestApiTests : ApiTestBase
{
    [Fact]
    public async Task Backtest_ReplaysStoredClips_WithMeasuredClipSizes_AndStreamsItsProgressToTheEnd()
    {
        var clips = new List<CatalogClip>();
        foreach (var clipId in new[] { "bt-1", "bt-2" })
        {
            clips.Add(await ConsoleSamples.AddAsync(Catalog, Store, ConsoleSamples.Clip(clipId, 12, i => [0xFF, 0xD8, (byte)i, 0xFF, 0xD9])));
        }

        using var viewer = Api.Client(ViewerToken);
        using var started = await viewer.PostAsJsonAsync("/api/console/triggers/backtests", new { source = Set(4), fleet = "fleet1", device = "dev-a" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await JsonAsync(started)).GetProperty("id").GetString()!;

        var events = await ReadEventsAsync(viewer, id);
        Assert.Equal("done", events[^1].Name);
        Assert.All(events[..^1], e => Assert.Equal("progress", e.Name));
        Assert.Contains(events, e => e.Data.GetProperty("clipsDone").GetInt32() == 2 && e.Data.GetProperty("clipsTotal").GetInt32() == 2);

        var result = events[^1].Data.GetProperty("result");
        Assert.Equal((4, 2), (result.GetProperty("version").GetInt32(), result.GetProperty("clips").GetInt32()));
        var figures = Assert.Single(result.GetProperty("triggers").EnumerateArray());
        Assert.Equal(("obstacle_seen", 2), (figures.GetProperty("triggerId").GetString(), figures.GetProperty("fires").GetInt64()));
        var hours = result.GetProperty("hours").GetDouble();
        Assert.Equal(2 * 1.1 / 3600, hours, 6);
        Assert.Equal(2 / hours, figures.GetProperty("firesPerHour").GetDouble(), 3);
        var bytesPerSecond = clips.Sum(c => c.SizeBytes) / clips.Sum(c => (c.EndWall - c.StartWall).TotalSeconds);
        Assert.Equal(bytesPerSecond, result.GetProperty("clipBytesPerSecond").GetDouble(), 3);
        Assert.Equal(2 * (2 * bytesPerSecond) / hours / (1024 * 1024), figures.GetProperty("clipMegabytesPerHour").GetDouble(), 1);
        Assert.Equal(JsonValueKind.Null, figures.GetProperty("recall").ValueKind); // these clips carry no ground truth
        var fires = result.GetProperty("fires").EnumerateArray().ToList();
        Assert.Equal(["bt-1", "bt-2"], fires.Select(f => f.GetProperty("clipId").GetString()).Order(StringComparer.Ordinal));
        var clipStart = clips[0].StartWall;
        Assert.All(fires, f => Assert.Equal(clipStart.AddMilliseconds(400), f.GetProperty("at").GetDateTimeOffset()));

        var again = await JsonAsync(await viewer.GetAsync(new Uri($"/api/console/triggers/backtests/{id}", UriKind.Relative), Ct));
        Assert.Equal("done", again.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Backtest_WhoseClipsAreMissingFromStorage_FailsSayingWhy()
    {
        var clip = ConsoleSamples.Clip("bt-gone", 12, i => [0xFF, 0xD8, (byte)i, 0xFF, 0xD9]);
        await Catalog.AddClipAsync(ConsoleSamples.Catalogued(clip, "fleet1/dev-a/gone.mcap", ConsoleSamples.Mcap(clip)), Ct);
        using var viewer = Api.Client(ViewerToken);

        using var started = await viewer.PostAsJsonAsync("/api/console/triggers/backtests", new { source = Set(4), fleet = "fleet1" }, Ct);
        var events = await ReadEventsAsync(viewer, (await JsonAsync(started)).GetProperty("id").GetString()!);

        Assert.Equal("failed", events[^1].Name);
        Assert.Contains("bt-gone: catalogued, but its object fleet1/dev-a/gone.mcap is missing from storage", events[^1].Data.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"source":"version: 1"}""", "body field 'fleet': required")]
    [InlineData("""{"fleet":"fleet1"}""", "body field 'source': required")]
    [InlineData("""{"source":"version: 1","fleet":"fleet1","maxClips":0}""", "body field 'maxClips': 0 is outside 1 to 200")]
    [InlineData("""{"source":"version: 1","fleet":"fleet1","from":"2026-12-05T11:00:00Z","to":"2026-12-05T10:00:00Z"}""", "body field 'to'")]
    [InlineData("""{"source":"version: 1","fleet":"fleet1","from":"yesterday"}""", "at body field 'from'")]
    public async Task Backtest_OfABadRequest_Is400NamingTheField(string body, string expected)
    {
        using var viewer = Api.Client(ViewerToken);
        using var response = await viewer.PostAsync("/api/console/triggers/backtests", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Contains(expected, await ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_OfASetThatDoesNotCompile_Is422WithItsErrorsAtLineAndColumn_AndQueuesNothing()
    {
        using var viewer = Api.Client(ViewerToken);
        using var response = await viewer.PostAsJsonAsync("/api/console/triggers/backtests", new { source = Set(4).Replace("> 0.35", ">", StringComparison.Ordinal), fleet = "fleet1" }, Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await JsonAsync(response)).GetProperty("errors")[0];
        Assert.Equal(5, error.GetProperty("line").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync(new Uri("/api/console/triggers/backtests/anything", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public void Queue_AdmitsOneBacktestPerUser_AndRefusesPastItsCapacity()
    {
        // Not started: nothing is taken off the queue, so what it admits is exactly what waits.
        var options = Options.Create(new ConsoleTriggerOptions { BacktestQueueCapacity = 2 });
        var queue = new BacktestQueue(new ClipBacktest(Catalog, Store, Options.Create(new ConsoleOptions()), NullLogger<ClipBacktest>.Instance), options, NullLogger<BacktestQueue>.Instance);
        var plan = new BacktestPlan(Set(1), Core.Triggers.TriggerSourceFormat.Yaml, "fleet1", null, null, null, 5, "truth");

        var first = queue.Enqueue("alice", plan);
        var again = queue.Enqueue("alice", plan);
        var other = queue.Enqueue("olga", plan);
        var full = queue.Enqueue("oscar", plan);

        Assert.NotNull(first.Job);
        Assert.Equal((429, $"backtest {first.Job!.Id} of token 'alice' is still queued; one at a time per user"), (again.Status, again.Refusal));
        Assert.NotNull(other.Job);
        Assert.Equal(503, full.Status);
        Assert.Contains("ConsoleTriggers:BacktestQueueCapacity", full.Refusal, StringComparison.Ordinal);
    }

    private static async Task<List<(string Name, JsonElement Data)>> ReadEventsAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync(new Uri($"/api/console/triggers/backtests/{id}/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var events = new List<(string, JsonElement)>();
        string? name = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var data = JsonDocument.Parse(line[6..]);
                events.Add((name!, data.RootElement.Clone()));
            }
        }

        return events;
    }
}
