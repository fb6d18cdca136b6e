using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Buffer.Tests.LiteDb;

[Trait("Category", "Integration")]
public sealed class CatalogQueryTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Events_AreFoundByTimeAndTrigger_DryRunIncluded()
    {
        using var catalog = Open();
        catalog.AddEvent(Event("e1", "missed-obstacle", minutes: 1));
        catalog.AddEvent(Event("e2", "hard-brake", minutes: 2, dryRun: true));
        catalog.AddEvent(Event("e3", "missed-obstacle", minutes: 3, dryRun: true));
        catalog.AddEvent(Event("e4", "missed-obstacle", minutes: 9));

        var window = catalog.FindEvents(T0, T0.AddMinutes(5), triggerId: null, max: 10);
        var missed = catalog.FindEvents(T0, T0.AddMinutes(5), "missed-obstacle", max: 10);

        Assert.Equal(["e3", "e2", "e1"], window.Select(e => e.EventId));
        Assert.Equal(["e3", "e1"], missed.Select(e => e.EventId));
        Assert.True(missed[0].DryRun);
        Assert.Null(missed[0].ClipId);
    }

    [Fact]
    public void ReplayedEvent_IsUpdated_AndKeepsItsClip()
    {
        using var catalog = Open();
        catalog.AddEvent(Event("e1", "missed-obstacle", minutes: 1));
        catalog.AddClip(Clip("c1", "missed-obstacle", minutes: 1) with { EventIds = ["e1"] });

        catalog.AddEvent(Event("e1", "missed-obstacle", minutes: 1) with { Priority = 7 });

        var stored = Assert.Single(catalog.RecentEvents(10));
        Assert.Equal((7, "c1"), (stored.Priority, stored.ClipId));
    }

    [Fact]
    public void Clips_AreFoundByStartTimeTriggerAndUploadState()
    {
        using var catalog = Open();
        catalog.AddClip(Clip("c1", "missed-obstacle", minutes: 1));
        catalog.AddClip(Clip("c2", "hard-brake", minutes: 2));
        catalog.AddClip(Clip("c3", "missed-obstacle", minutes: 30));
        catalog.UpdateUpload("c2", UploadState.Acknowledged, 1);

        Assert.Equal(["c2", "c1"], catalog.FindClips(T0, T0.AddMinutes(10), null, 10).Select(c => c.ClipId));
        Assert.Equal(["c3", "c1"], catalog.FindClips(T0, T0.AddHours(1), "missed-obstacle", 10).Select(c => c.ClipId));
        Assert.Equal(["c2"], catalog.ClipsInUploadState(UploadState.Acknowledged, 10).Select(c => c.ClipId));
    }

    [Fact]
    public void PendingUploads_SkipClipsWhoseFileIsNotStored()
    {
        using var catalog = Open();
        catalog.AddClip(Clip("kept", "t", 1));
        catalog.AddClip(Clip("gone", "t", 2));
        catalog.AddClip(Clip("bad", "t", 3));
        catalog.SetFileState("gone", ClipFileState.Missing);
        catalog.SetFileState("bad", ClipFileState.Quarantined);

        Assert.Equal(["kept"], catalog.PendingUploads(10).Select(c => c.ClipId));
        Assert.Equal(["kept"], catalog.StoredClips().Select(c => c.ClipId));
    }

    [Fact]
    public void Eviction_MarksTheClipAndIsKept_AcrossReopening()
    {
        using (var catalog = Open())
        {
            catalog.AddClip(Clip("c1", "t", 1));
            catalog.RecordEviction(new ClipEviction("c1", T0.AddHours(1), "quota", 1, UploadState.Acknowledged, 100, ["t"]));
        }

        using var reopened = Open();
        Assert.Equal(ClipFileState.Evicted, reopened.FindClip("c1")!.FileState);
        var eviction = Assert.Single(reopened.Evictions(10));
        Assert.Equal(("c1", "quota", T0.AddHours(1)), (eviction.ClipId, eviction.Reason, eviction.At));
    }

    [Fact]
    public void ConfigHistory_IsKeptPerKind_NewestFirst()
    {
        using var catalog = Open();
        catalog.AddConfigChange(new ConfigChange("trigger-set", 1, new string('1', 64), T0, "file:demo.yaml"));
        catalog.AddConfigChange(new ConfigChange("trigger-set", 2, new string('2', 64), T0.AddDays(1), "mqtt", "pushed by fleet"));
        catalog.AddConfigChange(new ConfigChange("agent", 1, new string('3', 64), T0, "appsettings.json"));

        var history = catalog.ConfigHistory("trigger-set", 10);

        Assert.Equal([2, 1], history.Select(c => c.Version));
        Assert.Equal("pushed by fleet", history[0].Detail);
    }

    [Fact]
    public void Pinned_IsKept()
    {
        using var catalog = Open();
        catalog.AddClip(Clip("c1", "t", 1));

        catalog.SetPinned("c1", true);

        Assert.True(catalog.FindClip("c1")!.Pinned);
        Assert.Throws<KeyNotFoundException>(() => catalog.SetPinned("nope", true));
    }

    private LiteDbClipCatalog Open() => new(_dir.Combine("catalog.db"));

    private static StoredEvent Event(string id, string trigger, int minutes, bool dryRun = false) =>
        new(id, [trigger], T0.AddMinutes(minutes), 1, dryRun, 1, "sha");

    private static StoredClip Clip(string id, string trigger, int minutes) => new(
        id, id + ".mcap", 100, new string('0', 64), 1, [trigger], [], T0.AddMinutes(minutes), T0.AddMinutes(minutes).AddSeconds(3), 30, null, T0.AddMinutes(minutes));

    public void Dispose() => _dir.Dispose();
}
