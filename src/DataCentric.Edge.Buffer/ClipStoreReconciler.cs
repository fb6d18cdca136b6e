using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Buffer;

/// <summary>What start-up reconciliation found and did.</summary>
public sealed record ReconcileReport(
    IReadOnlyList<string> TempFilesRemoved,
    IReadOnlyList<string> OrphansAdopted,
    IReadOnlyList<string> OrphansRemoved,
    IReadOnlyList<string> MarkedMissing,
    IReadOnlyList<string> Quarantined);

/// <summary>
/// Brings the clip folder and the catalog back into agreement at start, after whatever stopped the
/// last run: temp files are half-written clips and go; a clip file the catalog does not know was
/// renamed but not catalogued (never reported stored) and is adopted when the reader accepts it
/// whole, removed otherwise; the file of a clip recorded as evicted goes; a catalogued clip whose file is gone is marked missing, one whose size
/// changed is quarantined. Hashes are not recomputed here (that is the periodic scrub's job): a
/// crash cannot change a file that was synced before it was catalogued.
/// </summary>
public static class ClipStoreReconciler
{
    /// <summary>Reconciles and logs the outcome when there was anything to do.</summary>
    public static ReconcileReport ReconcileAndLog(ClipFileStore store, IClipFileIndex catalog, IClipReader? reader, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var report = Reconcile(store, catalog, reader, timeProvider);
        if (report.TempFilesRemoved.Count + report.OrphansAdopted.Count + report.OrphansRemoved.Count + report.MarkedMissing.Count + report.Quarantined.Count > 0)
        {
            logger.Reconciled(report.TempFilesRemoved.Count, report.OrphansAdopted.Count, report.OrphansRemoved.Count, report.MarkedMissing.Count, report.Quarantined.Count);
        }

        return report;
    }

    public static ReconcileReport Reconcile(ClipFileStore store, IClipFileIndex catalog, IClipReader? reader, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(timeProvider);
        List<string> temps = [], adopted = [], removed = [], missing = [], quarantined = [];

        foreach (var temp in Directory.EnumerateFiles(store.ClipDirectory, "*" + ClipFileStore.TempExtension))
        {
            File.Delete(temp);
            temps.Add(Path.GetFileName(temp));
        }

        var known = catalog.FileStates();
        foreach (var path in Directory.EnumerateFiles(store.ClipDirectory, "*" + store.FileExtension))
        {
            var fileName = Path.GetFileName(path);
            if (known.TryGetValue(fileName, out var state))
            {
                if (state == ClipFileState.Evicted)
                {
                    // The eviction was recorded but the run stopped before the delete.
                    File.Delete(path);
                    removed.Add(fileName);
                }

                continue;
            }

            if (reader is not null && TryAdopt(path, fileName, store, catalog, reader, timeProvider))
            {
                adopted.Add(fileName);
            }
            else
            {
                File.Delete(path);
                removed.Add(fileName);
            }
        }

        foreach (var clip in catalog.StoredClips())
        {
            var info = new FileInfo(store.PathOf(clip));
            if (!info.Exists)
            {
                catalog.SetFileState(clip.ClipId, ClipFileState.Missing);
                missing.Add(clip.ClipId);
            }
            else if (info.Length != clip.SizeBytes)
            {
                store.Quarantine(clip);
                quarantined.Add(clip.ClipId);
            }
        }

        return new ReconcileReport(temps, adopted, removed, missing, quarantined);
    }

    private static bool TryAdopt(string path, string fileName, ClipFileStore store, IClipFileIndex catalog, IClipReader reader, TimeProvider timeProvider)
    {
        ClipContent content;
        long size;
        try
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                content = reader.Read(stream);
                size = stream.Length;
            }
        }
        catch (InvalidDataException)
        {
            return false;
        }

        if (!string.Equals(content.ClipId + store.FileExtension, fileName, StringComparison.Ordinal))
        {
            return false;
        }

        catalog.AddClip(ClipFileStore.Describe(content, fileName, size, ClipFileStore.HashFile(path), timeProvider.GetUtcNow()));
        return true;
    }
}
