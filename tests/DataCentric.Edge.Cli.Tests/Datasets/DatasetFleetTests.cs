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
    private const string ViewerToken = "dataset-viewer-token-0123456789";
    private const string OperatorToken = "dataset-operator-token-0123456789";

    private readonly TempDirectory _dir = new("dce-dataset-fleet");
    private LiteDbFleetCatalog? _catalog;
    private WebApplication? _app;

    private string Url => _app!.Urls.Single();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(_dir.Combine("viewer.token"), ViewerToken, ct);
        await File.WriteAllTextAsync(_dir.Combine("operator.token"), OperatorToken, ct);
        _catalog = new LiteDbFleetCatalog(_dir.Combine("catalog.db"));
        var store = new DirectoryClipObjectStore(_dir.Combine("objects"), TimeProvider.System, NullLogger<DirectoryClipObjectStore>.Instance);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Api:Tokens:0:Name"] = "vera",
            ["Api:Tokens:0:Role"] = "viewer",
            ["Api:Tokens:0:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ViewerToken))),
            ["Api:Tokens:1:Name"] = "olga",
            ["Api:Tokens:1:Role"] = "operator",
            ["Api:Tokens:1:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OperatorToken))),
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IFleetQueries>(_catalog);
        builder.Services.AddSingleton<IPullRequests>(_catalog);
        builder.Services.AddSingleton<IDatasetReports>(_catalog);
        builder.Services.AddSingleton<IClipObjectStore>(store);
        builder.Services.AddFleetApi(builder.Configuration);
        _app = builder.Build();
        _app.MapFleetApi();
        await _app.StartAsync(ct);

        // The detector clip as the fleet holds it: bytes in the store, a row in the catalog.
        var bytes = await File.ReadAllBytesAsync(clips.DetectorClip, ct);
        McapClipSummary summary;
        using (var stream = new MemoryStream(bytes))
        {
            summary = new McapClipReader().ReadSummary(stream);
        }

        var start = summary.WallClockStart;
        var triggers = summary.Events.SelectMany(e => e.Triggers).Select(t => t.TriggerId).Distinct(StringComparer.Ordinal).ToList();
        var key = ClipObjectKeys.For(string.Empty, "acme", "cam-1", start, summary.ClipId);
        using var content = new MemoryStream(bytes);
        var digest = await store.PutAsync(key, content, new ClipObjectMetadata(summary.ClipId, triggers, null), ct);
        await _catalog.AddClipAsync(
            new CatalogClip(summary.ClipId, "acme", "cam-1", summary.ClipId + ".mcap", bytes.Length, digest.Sha256, key, 5, triggers, null, (int)summary.FrameCount, start, start.AddSeconds(5), start.AddMinutes(1)), ct);
    }

    [Fact]
    public async Task BuildAndImport_ThroughTheFleetApi_StoreBothReportsInTheFleetCatalog()
    {
        var outDir = _dir.Combine("fleet-ds");

        var (exit, output, error) = await Edgectl.RunAsync(
            "dataset", "build", "--api", Url, "--token-file", _dir.Combine("operator.token"), "--fleet", "acme", "--out", outDir, "--format", "labelstudio", "--frames", "5");

        Assert.True(exit == 0, error);
        Assert.Contains("report fleet-ds.build.", output, StringComparison.Ordinal);
        using (var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "dataset.json"), TestContext.Current.CancellationToken)))
        {
            Assert.Equal(5, report.RootElement.GetProperty("selected").GetInt32());
            Assert.Equal(1, report.RootElement.GetProperty("clips").GetProperty("read").GetInt32());
        }

        var reviewed = _dir.Combine("reviewed.json");
        var tasks = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "tasks.json"), TestContext.Current.CancellationToken))!.AsArray();
        foreach (var task in tasks)
        {
            // A reviewer who accepts every draft box (a frame the model skipped has none).
            var result = task!["predictions"]!.AsArray().FirstOrDefault()?["result"]?.DeepClone() ?? new System.Text.Json.Nodes.JsonArray();
            task["annotations"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["result"] = result });
        }

        await File.WriteAllTextAsync(reviewed, tasks.ToJsonString(), TestContext.Current.CancellationToken);
        var (importExit, importOutput, importError) = await Edgectl.RunAsync(
            "dataset", "import", outDir, reviewed, "--api", Url, "--token-file", _dir.Combine("operator.token"));

        Assert.True(importExit == 0, importError);
        Assert.Contains("shadow model right 100 %", importOutput, StringComparison.Ordinal);
        var stored = await _catalog!.ListDatasetReportsAsync("fleet-ds", null, 10, TestContext.Current.CancellationToken);
        Assert.Equal(["import", "build"], stored.Select(r => r.Kind));
        Assert.All(stored, r => Assert.Equal("olga", r.PostedBy));
        using var import = JsonDocument.Parse(stored[0].Json);
        Assert.Equal(5, import.RootElement.GetProperty("frames").GetProperty("reviewed").GetInt32());

        var (viewerExit, _, viewerError) = await Edgectl.RunAsync(
            "dataset", "import", outDir, reviewed, "--api", Url, "--token-file", _dir.Combine("viewer.token"));
        Assert.Equal(1, viewerExit);
        Assert.Contains("may not do this (403)", viewerError, StringComparison.Ordinal);
        Assert.Equal(2, (await _catalog.ListDatasetReportsAsync("fleet-ds", null, 10, TestContext.Current.CancellationToken)).Count);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _catalog?.Dispose();
        _dir.Dispose();
    }
}
