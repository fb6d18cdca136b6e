using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.LiteDb;

namespace DataCentric.Edge.Cli.Tests.Models;

/// <summary>
/// <c>edgectl models compare</c> against a real dce-fleet API: one device ran v1 for 1 h then v2 for 2 h
/// (its model acks and trigger counter reports), 2 events in each, one clip in each, and v2 was reviewed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelsCompareCommandTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly string V1 = Sha("det v1");
    private static readonly string V2 = Sha("det v2");

    [Fact]
    public async Task Compare_PrintsEachVersionsRatesPerHourOfExposure_AndItsReviewedFigures()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        await WriteAsync(api.Catalog);

        var table = await Edgectl.RunAsync(["models", "compare", "det", .. api.Common]);
        var json = await Edgectl.RunAsync(["models", "compare", "det", "--from", "2026-12-05T11:00:00Z", "--json", .. api.Common]);

        Assert.True(table.Exit == 0, table.Error);
        Assert.Contains("det: 2 versions on 1 devices", table.Output, StringComparison.Ordinal);
        // VERSION SHA256 DEVICES HOURS EVENTS EVENTS/H CLIPS CLIPS/H BOX-P BOX-R CLASS-ACC MODEL-RIGHT TRIGGER-P REVIEWED
        Assert.Matches($@"(?m)^2\s+{V2[..12]}\s+1\s+2\s+2\s+1\s+1\s+0\.5\s+75%\s+60%\s+100%\s+50%\s+25%\s+4 frames$", table.Output);
        Assert.Matches($@"(?m)^1\s+{V1[..12]}\s+1\s+1\s+2\s+2\s+1\s+1(\s+-){{5}}\s+-$", table.Output);
        Assert.Matches(@"(?m)^2\s+brake\s+2\s+0\s+1\s+1\s+0\.5$", table.Output);
        Assert.Contains("rates: exposureHours = device-hours the agent was running", table.Output, StringComparison.Ordinal);

        Assert.True(json.Exit == 0, json.Error);
        using var answer = JsonDocument.Parse(json.Output);
        var v2 = answer.RootElement.GetProperty("versions")[0];
        Assert.Equal((2, 2.0, 1.0), (v2.GetProperty("version").GetInt32(), v2.GetProperty("exposureHours").GetDouble(), v2.GetProperty("eventsPerHour").GetDouble()));
        Assert.Equal(0.0, answer.RootElement.GetProperty("versions")[1].GetProperty("exposureHours").GetDouble());
    }

    [Fact]
    public async Task Compare_UnknownModelOrAWindowEndingBeforeItStarts_IsRefusedWithTheReason()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        await WriteAsync(api.Catalog);

        var unknown = await Edgectl.RunAsync(["models", "compare", "nope", .. api.Common]);
        var window = await Edgectl.RunAsync(["models", "compare", "det", "--from", "2026-12-05T12:00:00Z", "--to", "2026-12-05T11:00:00Z", .. api.Common]);

        Assert.Equal(1, unknown.Exit);
        Assert.Contains("edgectl: no device reported model 'nope'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(1, window.Exit);
        Assert.Contains("the fleet API refused the request: query parameter 'to': The window ends", window.Error, StringComparison.Ordinal);
    }

    private static async Task WriteAsync(LiteDbFleetCatalog catalog)
    {
        var ct = TestContext.Current.CancellationToken;
        await catalog.RecordModelReleaseAckAsync(new ModelReleaseAck("acme", "cam-1", "det", 1, V1, ModelReleaseStage.Active, [], 1, V1, T0), ct);
        await catalog.RecordModelReleaseAckAsync(new ModelReleaseAck("acme", "cam-1", "det", 2, V2, ModelReleaseStage.Active, [], 2, V2, T0.AddHours(1)), ct);
        await catalog.RecordTriggerCountersAsync(
            new TriggerCountersReport("acme", "cam-1", T0.AddHours(3), T0, 3, 60, [new TriggerCountersEntry("brake", 1000, 4, 0, 0, 0, 0, 0, 0, null)]), ct);
        foreach (var (id, minutes, clip) in new[] { ("e1", 10, null), ("e2", 30, "c1"), ("e3", 90, null), ("e4", 150, "c2") })
        {
            await catalog.AddEventAsync("acme", "cam-1", new EventSummary(id, ["brake"], T0.AddMinutes(minutes), 5, false, 3, clip), T0.AddHours(4), ct);
        }

        foreach (var (id, minutes, sha) in new[] { ("c1", 30, V1), ("c2", 150, V2) })
        {
            await catalog.AddClipAsync(
                new CatalogClip(id, "acme", "cam-1", id + ".mcap", 100, Sha(id), $"acme/cam-1/2026-12-05/{id}.mcap", 5, ["brake"], sha, 10, T0.AddMinutes(minutes), T0.AddMinutes(minutes + 1), T0.AddHours(4)), ct);
        }

        await catalog.AddDatasetReportAsync(new DatasetReport("d.import", "d", "import", T0.AddHours(5), "ops", T0.AddHours(5), $$"""
            {"reportId": "d.import", "kind": "import", "dataset": "d", "byModel": {"{{V2}}": {"frames": 4, "framesWithoutModelBoxes": 0,
             "modelRightFrames": 2, "modelBoxes": 8, "reviewedBoxes": 10, "matchedBoxes": 6, "sameClass": 6, "events": 4, "eventsTrue": 1} } }
            """), ct);
    }

    private static string Sha(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
}
