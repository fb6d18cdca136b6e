using DataCentric.Edge.FleetService.Catalog;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>Clip labels (the classes a clip's shadow model detected): kept, filtered on with the other filters and paging, bad ones refused.</summary>
public abstract partial class FleetCatalogContractTests
{
    [Fact]
    public async Task ClipLabels_ReadBack_AndAClipWithoutLabelsHasNone()
    {
        await Catalog.AddClipAsync(Clip("c1") with { Labels = ["class-0", "class-2", "traffic light"] }, Ct);
        await Catalog.AddClipAsync(Clip("c2"), Ct);

        Assert.Equal(["class-0", "class-2", "traffic light"], (await Catalog.GetClipAsync("c1", Ct))!.Labels);
        Assert.Empty((await Catalog.GetClipAsync("c2", Ct))!.Labels);
    }

    [Fact]
    public async Task ListClips_ByLabel_CombinesWithDeviceTriggerAndWindow_AndWalksEveryPageOnce()
    {
        var clips = Enumerable.Range(0, 30).Select(i => Clip(
                $"c{i:D2}",
                T0.AddSeconds(i % 7),
                device: i % 3 == 0 ? "cam-3" : "cam-1",
                triggers: i % 2 == 0 ? ["brake"] : ["swerve"])
            with { Labels = i % 4 == 0 ? ["class-1", "class-2"] : i % 4 == 1 ? ["class-2"] : [] })
            .ToList();
        foreach (var clip in clips)
        {
            await Catalog.AddClipAsync(clip, Ct);
        }

        var seen = new List<string>();
        var query = new ClipQuery { Label = "class-2", Limit = 4 };
        do
        {
            var page = await Catalog.ListClipsAsync(query, Ct);
            Assert.All(page.Items, c => Assert.Contains("class-2", c.Labels));
            seen.AddRange(page.Items.Select(c => c.ClipId));
            query = query with { After = page.Next };
        }
        while (query.After is not null);

        Assert.Equal(Newest(clips.Where(c => c.Labels.Contains("class-2"))), seen);

        var combined = await Catalog.ListClipsAsync(
            new ClipQuery { Label = "class-1", Device = "cam-3", TriggerId = "brake", To = T0.AddSeconds(3) }, Ct);
        var expected = Newest(clips.Where(c => c.Labels.Contains("class-1") && c.Device == "cam-3" && c.TriggerIds.Contains("brake") && c.StartWall < T0.AddSeconds(3)));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, combined.Items.Select(c => c.ClipId));
        Assert.Empty((await Catalog.ListClipsAsync(new ClipQuery { Label = "class-9" }, Ct)).Items);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" car")]
    [InlineData("car;drop")]
    [InlineData("car\n")]
    [InlineData("x123456789x123456789x123456789x123456789x123456789x123456789x1234")]
    public async Task ListClips_ByABadLabel_IsRefusedNamingTheLabel(string label)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Catalog.ListClipsAsync(new ClipQuery { Label = label }, Ct));

        Assert.Equal(nameof(ClipQuery.Label), error.ParamName);
        Assert.Contains("is not a label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddClip_WithABadLabel_IsRefusedNamingIt_AndNothingIsStored()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Catalog.AddClipAsync(Clip("c1") with { Labels = ["car", "bad\0label"] }, Ct));

        Assert.Equal("Labels[1]", error.ParamName);
        Assert.Null(await Catalog.GetClipAsync("c1", Ct));
    }

    private static List<string> Newest(IEnumerable<CatalogClip> clips) =>
        [.. clips.OrderByDescending(c => c.StartWall).ThenByDescending(c => c.ClipId, StringComparer.Ordinal).Select(c => c.ClipId)];
}
