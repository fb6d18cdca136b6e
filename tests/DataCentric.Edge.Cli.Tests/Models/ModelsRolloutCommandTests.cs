using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Tests.Models;

/// <summary>
/// <c>edgectl models rollout</c> against a real dce-fleet API (no operator link: the plan is recorded,
/// publishing answers 503) with envelopes signed by <c>edgectl models sign</c> from a real ONNX model.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelsRolloutCommandTests : IDisposable
{
    private static readonly string[] DeviceIds = ["cam-1", "cam-2", "cam-3", "cam-4"];
    private readonly ModelReleaseFiles _files = new();

    [Fact]
    public async Task Canaries_ThenStartWithSignedStages_ThenStatusAndHalt_TellTheOperatorWhatHappened()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        foreach (var device in DeviceIds)
        {
            await api.Catalog.RecordStatusAsync(new DeviceStatus(ModelReleaseFiles.Fleet, device, "online", null), DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        }

        var canaries = await Edgectl.RunAsync(["models", "rollout", "canaries", "--name", "detector", "--fleet", ModelReleaseFiles.Fleet, "--percent", "50", .. api.Common]);
        Assert.True(canaries.Exit == 0, canaries.Error);
        var picked = canaries.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, picked.Length);
        Assert.Subset(DeviceIds.ToHashSet(), picked.ToHashSet());
        Assert.Contains("2 of 4 known devices of f1 (50%)", canaries.Error, StringComparison.Ordinal);

        await _files.CreateKeysAsync();
        var model = ModelReleaseFiles.Model("test-yolov8.onnx");
        var canaryDir = Directory.CreateDirectory(_files.Combine("canaries")).FullName;
        foreach (var device in picked)
        {
            await _files.SignAsync(model, 3, "device:" + device, output: Path.Combine(canaryDir, device + ".json"));
        }

        var fleetStage = await _files.SignAsync(model, 3, "fleet");
        var start = await Edgectl.RunAsync(["models", "rollout", "start", "--name", "detector", "--percent", "50", "--stage", canaryDir, "--stage", fleetStage, .. api.OperatorCommon]);
        Assert.Equal(1, start.Exit);
        Assert.Contains("the fleet API refused (503): rollout r", start.Error, StringComparison.Ordinal);
        Assert.Contains("is recorded but not published: the operator link is not configured", start.Error, StringComparison.Ordinal);

        var list = await Edgectl.RunAsync(["models", "rollout", "status", "--name", "detector", "--json", .. api.Common]);
        Assert.True(list.Exit == 0, list.Error);
        using var rollouts = JsonDocument.Parse(list.Output);
        var rollout = Assert.Single(rollouts.RootElement.EnumerateArray());
        var id = rollout.GetProperty("id").GetString()!;
        Assert.Equal(("planned", 3), (rollout.GetProperty("state").GetString(), rollout.GetProperty("version").GetInt32()));
        Assert.Equal(
            picked.Order(StringComparer.Ordinal).Select(d => "device:" + d),
            rollout.GetProperty("stages")[0].GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal));

        var halt = await Edgectl.RunAsync(["models", "rollout", "halt", "--name", "detector", id, "--reason", "bad p95 on the bench", .. api.OperatorCommon]);
        Assert.True(halt.Exit == 0, halt.Error);
        Assert.Contains($"rollout {id}: detector v3", halt.Output, StringComparison.Ordinal);
        Assert.Contains("halted: halted by otto: bad p95 on the bench", halt.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^0\s+device:cam-\d,device:cam-\d\s+-\s+0\s+0\s+0\s+2$", halt.Output);

        var promote = await Edgectl.RunAsync(["models", "rollout", "promote", "--name", "detector", id, .. api.OperatorCommon]);
        Assert.Equal(1, promote.Exit);
        Assert.Contains($"the fleet API refused (409): rollout {id} is halted: halted by otto", promote.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadStagesOrAViewerToken_AreRefusedWithWhatAndWhere()
    {
        await using var api = await FleetApiUnderTest.StartAsync();
        var notJson = _files.Combine("not-json.json");
        await File.WriteAllTextAsync(notJson, "{oops", TestContext.Current.CancellationToken);
        var emptyDir = Directory.CreateDirectory(_files.Combine("empty")).FullName;

        var missing = await Edgectl.RunAsync(["models", "rollout", "start", "--name", "detector", "--percent", "10", "--stage", _files.Combine("nope"), .. api.OperatorCommon]);
        var empty = await Edgectl.RunAsync(["models", "rollout", "start", "--name", "detector", "--percent", "10", "--stage", emptyDir, .. api.OperatorCommon]);
        var bad = await Edgectl.RunAsync(["models", "rollout", "start", "--name", "detector", "--percent", "10", "--stage", notJson, .. api.OperatorCommon]);
        var viewer = await Edgectl.RunAsync(["models", "rollout", "halt", "--name", "detector", "r1", .. api.Common]);
        var percent = await Edgectl.RunAsync(["models", "rollout", "canaries", "--name", "detector", "--fleet", "f1", "--percent", "0", .. api.Common]);

        Assert.Equal((2, $"edgectl: --stage {_files.Combine("nope")} (stage 0): no such file or folder"), (missing.Exit, missing.Error.Trim()));
        Assert.Equal((2, $"edgectl: --stage {emptyDir} (stage 0): the folder holds no *.json envelope"), (empty.Exit, empty.Error.Trim()));
        Assert.Equal(2, bad.Exit);
        Assert.Contains($"--stage {notJson}: {notJson} is not a signed envelope (JSON)", bad.Error, StringComparison.Ordinal);
        Assert.Equal(1, viewer.Exit);
        Assert.Contains("may not do this (403)", viewer.Error, StringComparison.Ordinal);
        Assert.Equal(1, percent.Exit);
        Assert.Contains("query parameter 'percent': 0 must be 1-100", percent.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
