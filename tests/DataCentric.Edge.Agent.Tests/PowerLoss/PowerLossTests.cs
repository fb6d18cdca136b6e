using System.Globalization;
using System.Security.Cryptography;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Agent.Tests.PowerLoss;

/// <summary>
/// Power loss, replayed. This kernel has no device-mapper (no dm-log-writes), so the agent runs as
/// its own process under an LD_PRELOAD shim (writelog.c) that logs every write, truncation, name
/// change and fsync under its data directory, and its own output, in order. Each cut point rebuilds
/// the directory as a power loss there leaves it (<see cref="CrashState"/>: unsynced writes dropped,
/// kept, or torn), the agent starts on it as a new process and stops, and then every clip it had
/// reported stored before the cut must be in its catalog, intact, with its events.
/// </summary>
/// <remarks>
/// CI spreads 10 cut points over the fsyncs, plus one after each "stored" report, some of them under
/// each loss model; <c>DCE_POWERLOSS_CUTS</c> asks for more (tools/bench/PowerLoss/run.sh).
/// The model knows only what the shim sees: calls through the C library (not raw syscalls or mmap),
/// in the order they returned. Reordering inside one file between two fsyncs is modelled by the torn
/// cuts (a random subset of the writes since the last fsync); the drive's own write cache lying about
/// an fsync is not modelled at all.
/// </remarks>
[Trait("Category", "Integration")]
public sealed class PowerLossTests
{
    private const int AgentsAtOnce = 2;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryClipReportedStored_SurvivesAPowerLoss_AtEveryCutPoint()
    {
        var wanted = int.TryParse(Environment.GetEnvironmentVariable("DCE_POWERLOSS_CUTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 10;
        using var dir = new TempDirectory("dce-powerloss");
        var shim = await AgentProcess.CompileShimAsync(dir.Path, Token);
        var data = Directory.CreateDirectory(dir.Combine("recorded")).FullName;
        var log = await RecordAsync(shim, data, dir.Combine("writes.log"));

        var points = CutPoints.Choose(log, wanted);
        var states = new Dictionary<string, (string Folder, List<CutPoint> Points)>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            var state = CrashState.At(log, data, point.Cut, point.Model, new Random(point.Seed));
            var key = Fingerprint(state, point.ReportedClips);
            if (!states.TryGetValue(key, out var entry))
            {
                var folder = dir.Combine($"state-{states.Count:D3}");
                CrashState.Materialize(state, folder);
                states[key] = entry = (folder, []);
            }

            entry.Points.Add(point);
        }

        var failures = new List<string>();
        using var gate = new SemaphoreSlim(AgentsAtOnce);
        await Task.WhenAll(states.Values.Select(async s =>
        {
            await gate.WaitAsync(Token);
            try
            {
                if (await CheckAsync(s.Folder, s.Points[0].ReportedClips) is { } failure)
                {
                    lock (failures)
                    {
                        failures.Add($"{string.Join("; ", s.Points)}: {failure}");
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        var reported = CutPoints.Reported(log, log.Count).Count;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{log.Count} write-log records, {log.Count(r => r.Op is WriteOp.Fsync or WriteOp.DirectorySync)} fsyncs, {reported} clips reported stored; " +
            $"{points.Count} cut points ({points.Count(p => p.Model == LossModel.DropUnsynced)} unsynced dropped, {points.Count(p => p.Model == LossModel.Torn)} torn, " +
            $"{points.Count(p => p.Model == LossModel.KeepAll)} all kept), {states.Count} distinct states, each started as an agent process; {failures.Count} failed");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(reported >= 2, $"the recorded run reported only {reported} clips stored; the test needs some to check");
    }

    /// <summary>The demo under the shim, with an obstacle every 2 s and a short cooldown, so that several clips are stored and uploaded.</summary>
    private static async Task<IReadOnlyList<WriteRecord>> RecordAsync(string shim, string data, string logPath)
    {
        var triggers = Path.Combine(Path.GetDirectoryName(data)!, "triggers.yaml");
        await File.WriteAllTextAsync(triggers, """
            schemaVersion: 1
            version: 1
            description: power-loss test
            triggers:
              - id: obstacle
                when: shadow.obstacle > 0.5
                pre: 1s
                post: 500ms
                cooldown: 500ms
                priority: 5
            """, Token);
        using var agent = AgentProcess.Start(data, 10, new Dictionary<string, string>
        {
            ["DCE_Agent__TriggerSetPath"] = triggers,
            ["LD_PRELOAD"] = shim,
            ["DCE_WRITELOG"] = logPath,
            ["DCE_WRITELOG_DIR"] = data,
            ["DCE_Sources__Synthetic__FirstEpisodeAt"] = "00:00:00.2",
            ["DCE_Sources__Synthetic__EpisodePeriod"] = "00:00:02",
            ["DCE_Sources__Synthetic__ApproachDuration"] = "00:00:01",
            ["DCE_Sources__Synthetic__StandDuration"] = "00:00:00.5",
        });
        var exit = await agent.WaitForExitAsync(Token);
        Assert.True(exit == 0, $"the recorded run exited {exit}:\n{agent.Output}");
        return WriteLog.Read(logPath);
    }

    /// <summary>Starts the agent on a crash state and stops it; then the reported clips must be there. Null when all is well.</summary>
    private static async Task<string?> CheckAsync(string folder, IReadOnlyList<string> reported)
    {
        using (var agent = AgentProcess.Start(folder, 60, new Dictionary<string, string>()))
        {
            if (!await agent.WaitStartedAsync(Token))
            {
                return $"the agent did not start (exit {await agent.WaitForExitAsync(Token)}):\n{agent.Output}";
            }

            var exit = await agent.StopAsync(Token);
            if (exit != 0)
            {
                return $"the agent exited {exit} after SIGTERM:\n{agent.Output}";
            }
        }

        using var catalog = new LiteDbClipCatalog(Path.Combine(folder, "catalog.db"));
        var events = catalog.RecentEvents(100_000).Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        foreach (var clipId in reported)
        {
            var clip = catalog.FindClip(clipId);
            var path = Path.Combine(folder, "clips", clip?.FileName ?? "-");
            var problem = clip switch
            {
                null => "is not in the catalog",
                { FileState: not ClipFileState.Stored } => $"is catalogued {clip.FileState}",
                _ when !File.Exists(path) => "has no file",
                _ when ClipFileStore.HashFile(path) != clip.Sha256 => "has a file that fails its SHA-256",
                _ when clip.EventIds.FirstOrDefault(e => !events.Contains(e)) is { } lost => $"lost its event {lost}",
                _ => null,
            };
            if (problem is not null)
            {
                return $"clip {clipId}, reported stored before the cut, {problem}";
            }
        }

        return null;
    }

    /// <summary>Two cut points leaving the same files and the same reports need one agent start.</summary>
    private static string Fingerprint(IReadOnlyDictionary<string, CrashState.FileImage?> state, IReadOnlyList<string> reported)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, content) in state.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{path}\0{content?.Content.Length ?? -1}\0{content?.ModifiedNs}\0"));
            hash.AppendData(content?.Content ?? []);
        }

        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(string.Join(",", reported)));
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
