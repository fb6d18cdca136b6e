using System.Diagnostics;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Buffer.Tests;

/// <summary>
/// A child process stores clips, events and evictions; the test kills it with SIGKILL at random
/// points, then opens the buffer as the agent would and checks every clip the child reported.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KillNineTests : IDisposable
{
    private const int KillPoints = 50;
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new("dce-kill9");

    [Fact]
    public async Task KilledWriter_NeverLosesOrHalfListsAClip_AndTheCatalogAlwaysOpens()
    {
        var random = new Random(20261129);
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        var events = new HashSet<string>(StringComparer.Ordinal);
        var killedAfterStoring = 0;
        int tempsFound = 0, orphansFound = 0;
        for (var point = 0; point < KillPoints; point++)
        {
            var (printed, printedEvents) = await RunAndKillAsync(random.Next(), storedBeforeKill: random.Next(0, 4), delayMs: random.Next(0, 25));
            killedAfterStoring += printed.Count > 0 ? 1 : 0;
            foreach (var (clipId, sha) in printed)
            {
                reported[clipId] = sha;
            }

            events.UnionWith(printedEvents);
            var report = CheckAfterRestart(reported, events, point);
            tempsFound += report.TempFilesRemoved.Count;
            orphansFound += report.OrphansAdopted.Count + report.OrphansRemoved.Count;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{KillPoints} kills, {reported.Count} clips and {events.Count} events reported, {killedAfterStoring} kills after a clip; crash leftovers: {tempsFound} temp files, {orphansFound} uncatalogued files");

        Assert.True(reported.Count >= KillPoints, $"only {reported.Count} clips were stored across {KillPoints} runs");
        Assert.True(killedAfterStoring > 0);
    }

    private async Task<(List<(string ClipId, string Sha)> Clips, List<string> Events)> RunAndKillAsync(int seed, int storedBeforeKill, int delayMs)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DataCentric.Edge.CrashWriter.dll"));
        start.ArgumentList.Add(_dir.Path);
        start.ArgumentList.Add(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["DOTNET_TieredPGO"] = "0";

        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash writer");
        var printed = new List<(string, string)>();
        var events = new List<string>();
        using var timeout = new CancellationTokenSource(ChildTimeout);
        try
        {
            var ready = await child.StandardOutput.ReadLineAsync(timeout.Token);
            if (ready != "ready")
            {
                await child.WaitForExitAsync(timeout.Token);
                Assert.Fail($"crash writer did not start: '{ready}' {await child.StandardError.ReadToEndAsync(timeout.Token)}");
            }

            for (var i = 0; i < storedBeforeKill; i++)
            {
                string? line;
                do
                {
                    line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                }
                while (Parse(line, printed, events) != "stored");
            }

            // Deliberate: the kill lands at a random point of whatever the child is doing now.
            await Task.Delay(delayMs, timeout.Token);
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync(CancellationToken.None);
        }

        // Lines already in the pipe were printed, hence reported, before the kill.
        while (await child.StandardOutput.ReadLineAsync(CancellationToken.None) is { } rest)
        {
            Parse(rest, printed, events);
        }

        return (printed, events);
    }

    /// <summary>Collects a "stored" or "event" line; a line cut by the kill is ignored (it was never reported).</summary>
    private static string? Parse(string? line, List<(string, string)> printed, List<string> events)
    {
        Assert.NotNull(line);
        switch (line.Split(' '))
        {
            case ["stored", var clipId, var sha] when sha.Length == 64:
                printed.Add((clipId, sha));
                return "stored";
            case ["event", var eventId] when eventId.Length == 32:
                events.Add(eventId);
                return "event";
            default:
                return null;
        }
    }

    private ReconcileReport CheckAfterRestart(Dictionary<string, string> reported, HashSet<string> events, int point)
    {
        using var dataLock = DataDirectoryLock.Acquire(_dir.Path);
        using var catalog = new LiteDbClipCatalog(_dir.Combine("catalog.db"));
        var store = new ClipFileStore(_dir.Combine("clips"), new McapClipWriter(), catalog, TimeProvider.System);
        var report = ClipStoreReconciler.Reconcile(store, catalog, new McapClipReader(), TimeProvider.System);

        Assert.Empty(report.MarkedMissing);
        Assert.Empty(report.Quarantined);
        foreach (var (clipId, sha) in reported)
        {
            var clip = catalog.FindClip(clipId);
            Assert.True(clip is not null, $"kill point {point}: clip {clipId} was reported stored but is not in the catalog");
            Assert.Equal(sha, clip.Sha256);
            Assert.True(clip.FileState is ClipFileState.Stored or ClipFileState.Evicted, $"kill point {point}: clip {clipId} is {clip.FileState}");
            if (clip.FileState == ClipFileState.Evicted)
            {
                Assert.Contains(catalog.Evictions(10_000), e => e.ClipId == clipId);
            }
        }

        var catalogued = catalog.RecentEvents(int.MaxValue).Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        var lost = events.Where(e => !catalogued.Contains(e)).ToList();
        Assert.True(lost.Count == 0, $"kill point {point}: {lost.Count} of {events.Count} reported events are not in the catalog");

        foreach (var clip in catalog.StoredClips())
        {
            var path = store.PathOf(clip);
            Assert.True(File.Exists(path), $"kill point {point}: catalogued clip {clip.ClipId} has no file");
            Assert.Equal(clip.Sha256, ClipFileStore.HashFile(path));
        }

        Assert.Empty(Directory.GetFiles(store.ClipDirectory, "*" + ClipFileStore.TempExtension));
        return report;
    }

    public void Dispose() => _dir.Dispose();
}
