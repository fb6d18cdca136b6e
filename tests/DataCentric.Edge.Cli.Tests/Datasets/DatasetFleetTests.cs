using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataCentric.Edge.Cli.Tests.Prelabels;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.Cli.Tests.Datasets;

/// <summary>
/// <c>dataset build --api</c> and <c>dataset import --api</c> against a real dce-fleet API (Kestrel, a
/// LiteDB catalog, a directory object store) holding a clip from a real agent run: the clip is listed and
/// downloaded through the API, both reports land in the fleet catalog, and a viewer may not store one.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AgentRunClipsCollection.Name)]
public sealed class DatasetFleetTests(AgentRunClips clips) : IAsyncLifetime
{
    private FleetApiUnderTest? _api;

    private FleetApiUnderTest Api => _api!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _api = await FleetApiUnderTest.StartAsync();

        // The detector clip as the fleet holds it: bytes in the store, a row in the catalog.
        var bytes = await File.ReadAllBytesAsync(clips.DetectorClip, ct);
        McapClipSummary summary;
        using (var stream = new MemoryStream(bytes))
        {
            summary = new McapClipReader().ReadSummary(stream);
        }

        var start = summary.WallClockStart;
        var triggers = summary.Events.SelectMany(e => e.Triggers).Select(t => t.TriggerId).Distinct(StringComparer.Ordinal).ToList();
        await Api.AddClipAsync(summary.ClipId, "cam-1", start, triggers, bytes, (int)summary.FrameCount, start.AddSeconds(5));
    }

    [Fact]
    public async Task BuildAndImport_ThroughTheFleetApi_StoreBothReportsInTheFleetCatalog()
    {
        var outDir = Api.Dir.Combine("fleet-ds");

        var (exit, output, error) = await Edgectl.RunAsync(
            ["dataset", "build", .. Api.OperatorCommon, "--fleet", "acme", "--out", outDir, "--format", "labelstudio", "--frames", "5"]);

        Assert.True(exit == 0, error);
        Assert.Contains("report fleet-ds.build.", output, StringComparison.Ordinal);
        using (var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "dataset.json"), TestContext.Current.CancellationToken)))
        {
            Assert.Equal(5, report.RootElement.GetProperty("selected").GetInt32());
            Assert.Equal(1, report.RootElement.GetProperty("clips").GetProperty("read").GetInt32());
        }

        var reviewed = Api.Dir.Combine("reviewed.json");
        var tasks = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "tasks.json"), TestContext.Current.CancellationToken))!.AsArray();
        foreach (var task in tasks)
        {
            // A reviewer who accepts every draft box (a frame the model skipped has none).
            var result = task!["predictions"]!.AsArray().FirstOrDefault()?["result"]?.DeepClone() ?? new System.Text.Json.Nodes.JsonArray();
            task["annotations"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["result"] = result });
        }

        await File.WriteAllTextAsync(reviewed, tasks.ToJsonString(), TestContext.Current.CancellationToken);
        var (importExit, importOutput, importError) = await Edgectl.RunAsync(
            ["dataset", "import", outDir, reviewed, .. Api.OperatorCommon]);

        Assert.True(importExit == 0, importError);
        Assert.Contains("shadow model right 100 %", importOutput, StringComparison.Ordinal);
        var stored = await Api.Catalog.ListDatasetReportsAsync("fleet-ds", null, 10, TestContext.Current.CancellationToken);
        Assert.Equal(["import", "build"], stored.Select(r => r.Kind));
        Assert.All(stored, r => Assert.Equal("otto", r.PostedBy));
        using var import = JsonDocument.Parse(stored[0].Json);
        Assert.Equal(5, import.RootElement.GetProperty("frames").GetProperty("reviewed").GetInt32());

        var (viewerExit, _, viewerError) = await Edgectl.RunAsync(
            ["dataset", "import", outDir, reviewed, .. Api.Common]);
        Assert.Equal(1, viewerExit);
        Assert.Contains("may not do this (403)", viewerError, StringComparison.Ordinal);
        Assert.Equal(2, (await Api.Catalog.ListDatasetReportsAsync("fleet-ds", null, 10, TestContext.Current.CancellationToken)).Count);
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}
