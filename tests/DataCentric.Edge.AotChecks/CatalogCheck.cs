using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.AotChecks;

/// <summary>
/// Every query of the LiteDB catalog in native code: LiteDB maps the documents by reflection and
/// compiles its expressions, which Native AOT runs interpreted. Ends by reopening the file.
/// </summary>
internal static class CatalogCheck
{
    public static Task<string?> RunAsync()
    {
        var directory = Directory.CreateTempSubdirectory("dce-aot-catalog-");
        try
        {
            var path = Path.Combine(directory.FullName, "catalog.db");
            var t0 = new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
            var clip = new StoredClip("clip-1", "clip-1.mcap", 4096, new string('a', 64), 5, ["brake"], ["event-1"], t0, t0.AddSeconds(8), 120, "model-sha", t0.AddSeconds(9));
            var other = clip with { ClipId = "clip-2", FileName = "clip-2.mcap", TriggerIds = ["swerve"], EventIds = ["event-2"], StartWall = t0.AddMinutes(5), EndWall = t0.AddMinutes(5).AddSeconds(8) };
            using (var catalog = new LiteDbClipCatalog(path))
            {
                catalog.AddEvent(new StoredEvent("event-1", ["brake"], t0.AddSeconds(3), 5, DryRun: false, 7, "model-sha", "clip-1"));
                catalog.AddEvent(new StoredEvent("event-2", ["swerve"], t0.AddMinutes(5), 3, DryRun: true, 7, "model-sha"));
                catalog.AddClip(clip);
                catalog.AddClip(other);

                Check.Equal(clip.Sha256, catalog.FindClip("clip-1")?.Sha256, "FindClip");
                Check.Equal(2, catalog.PendingUploads(10).Count, "PendingUploads");
                catalog.UpdateUpload("clip-1", UploadState.Sent, 3);
                Check.Equal("clip-1", catalog.ClipsInUploadState(UploadState.Sent, 10).Single().ClipId, "ClipsInUploadState(Sent)");
                Check.Equal(3, catalog.FindClip("clip-1")!.ChunksSent, "ChunksSent after UpdateUpload");
                Check.Equal("event-2", catalog.FindEvents(t0, t0.AddHours(1), "swerve", 10).Single().EventId, "FindEvents by trigger");
                Check.Equal(2, catalog.FindEvents(t0, t0.AddHours(1), null, 10).Count, "FindEvents unfiltered");
                Check.Equal("clip-2", catalog.FindClips(t0.AddMinutes(1), t0.AddHours(1), null, 10).Single().ClipId, "FindClips by window");
                Check.Equal(2, catalog.RecentEvents(10).Count, "RecentEvents");
                Check.Equal(2, catalog.RecentClips(10).Count, "RecentClips");

                catalog.SetPinned("clip-2", pinned: true);
                catalog.SetFileState("clip-1", ClipFileState.Evicted);
                catalog.RecordEviction(new ClipEviction("clip-1", t0.AddHours(1), "disk quota", 5, UploadState.Sent, 4096, ["brake"]));
                catalog.AddConfigChange(new ConfigChange("trigger-set", 7, new string('b', 64), t0, "fleet"));
                catalog.Checkpoint();
            }

            using (var reopened = new LiteDbClipCatalog(path))
            {
                Check.That(reopened.FindClip("clip-2")!.Pinned, "the pin did not survive a reopen");
                Check.Equal(ClipFileState.Evicted, reopened.FileStates()["clip-1.mcap"], "FileStates after reopen");
                Check.Equal("disk quota", reopened.Evictions(10).Single().Reason, "Evictions after reopen");
                Check.Equal(7, reopened.ConfigHistory("trigger-set", 10).Single().Version, "ConfigHistory after reopen");
                Check.Equal("clip-2", reopened.StoredClips().Single().ClipId, "StoredClips (the evicted one left out) after reopen");
            }

            return Task.FromResult<string?>(null);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
