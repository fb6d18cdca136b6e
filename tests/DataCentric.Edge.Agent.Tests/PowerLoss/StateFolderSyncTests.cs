using System.Security.Cryptography;
using DataCentric.Edge.Agent.Tests.EndToEnd;
using DataCentric.Edge.Agent.Tests.Health;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Agent.Tests.PowerLoss;

/// <summary>
/// The remote trigger-set and model-release state folders under power loss, seen through the
/// write-log shim (writelog.c). The agent runs as its own process in demo mode (embedded broker)
/// and takes, from the fleet, two signed trigger sets, a rollback and a model release. The log is
/// read the moment each answer arrives (everything the agent did before answering is in it), and:
/// every folder the agent made under those state folders was synced into its parent before
/// anything was put in it and before the answer; and a power loss at the answer leaves on disk
/// what the answer said (<see cref="CrashState"/> with every unsynced change dropped).
/// </summary>
[Trait("Category", "Integration")]
public sealed class StateFolderSyncTests
{
    private const string TriggerSets = "trigger-sets";
    private const string Models = "models";
    private const string ModelName = "obstacle-detector";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StateFolders_AreSyncedIntoTheirParents_AndEveryAnswerSurvivesAPowerLossAtIt()
    {
        using var dir = new TempDirectory("dce-statesync");
        var shim = await AgentProcess.CompileShimAsync(dir.Path, Token);
        var data = Directory.CreateDirectory(dir.Combine("data")).FullName;
        var logPath = dir.Combine("writes.log");
        using var fleetKey = FleetKeys.New();
        var pinned = dir.Combine("fleet.pub.pem");
        await File.WriteAllTextAsync(pinned, fleetKey.ExportSubjectPublicKeyInfoPem(), Token);
        var port = PrometheusText.FreePort();
        using var agent = AgentProcess.Start(data, 300, new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = shim,
            ["DCE_WRITELOG"] = logPath,
            ["DCE_WRITELOG_DIR"] = data,
            ["DCE_Uplink__Port"] = $"{port}",
            ["DCE_RemoteConfig__TrustedKeyPaths__0"] = pinned,
            ["DCE_ModelReleases__ProbationFrames"] = "10",
        });
        Assert.True(await agent.WaitStartedAsync(Token), $"the agent did not start:\n{agent.Output}");
        var topics = new FleetTopics("demo", "device-1");
        await using var fleet = await FleetSession.OpenAsync(new BrokerEndpoint("127.0.0.1", port), topics, Token);
        var answers = new List<(string What, IReadOnlyList<WriteRecord> Log, Action<string> Check)>();

        var v2 = await PushSetAsync(fleet, 2, fleetKey);
        answers.Add(("set v2 accepted", WriteLog.Read(logPath, whileWritten: true), state => AssertActiveSet(state, v2, null)));
        var v3 = await PushSetAsync(fleet, 3, fleetKey);
        answers.Add(("set v3 accepted", WriteLog.Read(logPath, whileWritten: true), state => AssertActiveSet(state, v3, v2)));
        var rollback = await fleet.SendOkAsync<RollbackResult>(new CommandRequest(CommandNames.RollbackTriggers), Token);
        Assert.Equal((true, 2), (rollback.RolledBack, rollback.ActiveVersion));
        answers.Add(("rollback to v2", WriteLog.Read(logPath, whileWritten: true), state => AssertRolledBack(state, v2, v3)));

        var release = await PushModelAsync(fleet, topics, fleetKey, dir);
        answers.Add(("model release active", WriteLog.Read(logPath, whileWritten: true), state => AssertModelActive(state, release)));
        Assert.True(await agent.StopAsync(Token) == 0, agent.Output);

        var problems = new List<string>();
        var final = WriteLog.Read(logPath);
        problems.AddRange(FoldersUsedBeforeTheirParentSync(final, data));
        for (var i = 0; i < answers.Count; i++)
        {
            var (what, log, check) = answers[i];
            problems.AddRange(FoldersUnsyncedAt(log, data).Select(p => $"at '{what}': {p}"));
            var folder = dir.Combine($"power-loss-at-answer-{i}");
            CrashState.Materialize(CrashState.At(log, data, log.Count, LossModel.DropUnsynced, new Random(0)), folder);
            try
            {
                check(folder);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                problems.Add($"a power loss at '{what}' (record {log.Count}) leaves: {e.Message}");
            }
        }

        var made = final.Where(r => r.Op == WriteOp.MakeDirectory && InScope(data, r.Path!)).Select(r => Path.GetRelativePath(data, r.Path!)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{final.Count} write-log records; folders made in the state folders: {string.Join(", ", made)}");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        // The test saw what it is about: both state folders, the model's own folder, a release's staging folder.
        Assert.Contains(TriggerSets, made);
        Assert.Contains(Models, made);
        Assert.Contains(Path.Combine(Models, "active", ModelName), made);
        Assert.Contains(made, m => m.StartsWith(Path.Combine(Models, ModelStaging.StagingFolder) + "/", StringComparison.Ordinal));
    }

    /// <summary>A folder made in a state folder that got a name inside it before its own name was synced into its parent.</summary>
    private static IEnumerable<string> FoldersUsedBeforeTheirParentSync(IReadOnlyList<WriteRecord> log, string data)
    {
        var unsynced = new Dictionary<string, WriteRecord>(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in log)
        {
            if (NewName(r, named) is { } name && unsynced.TryGetValue(Path.GetDirectoryName(name)!, out var made))
            {
                yield return $"{Path.GetRelativePath(data, made.Path!)} (made at record {made.Index}) got {Path.GetFileName(name)} (record {r.Index}) before its parent was synced";
                unsynced.Remove(made.Path!);
            }

            if (r.Op == WriteOp.MakeDirectory && InScope(data, r.Path!))
            {
                unsynced[r.Path!] = r;
            }
            else if (r.Op == WriteOp.DirectorySync)
            {
                foreach (var child in unsynced.Keys.Where(d => Path.GetDirectoryName(d) == r.Path).ToList())
                {
                    unsynced.Remove(child);
                }
            }
        }
    }

    /// <summary>Folders made in a state folder, still there, whose parent was not synced after they were made: a power loss takes them.</summary>
    private static IEnumerable<string> FoldersUnsyncedAt(IReadOnlyList<WriteRecord> log, string data)
    {
        var unsynced = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in log)
        {
            switch (r.Op)
            {
                case WriteOp.MakeDirectory when InScope(data, r.Path!):
                    unsynced[r.Path!] = r.Index;
                    break;
                case WriteOp.RemoveDirectory:
                    unsynced.Remove(r.Path!);
                    break;
                case WriteOp.DirectorySync:
                    foreach (var child in unsynced.Keys.Where(d => Path.GetDirectoryName(d) == r.Path).ToList())
                    {
                        unsynced.Remove(child);
                    }

                    break;
                default:
                    break;
            }
        }

        return unsynced.Select(u => $"{Path.GetRelativePath(data, u.Key)} was made at record {u.Value} and its parent never synced after");
    }

    /// <summary>The name <paramref name="r"/> puts in a folder (a new file, a folder, a rename or link target), or null.</summary>
    private static string? NewName(WriteRecord r, HashSet<string> named)
    {
        var name = r.Op switch
        {
            // The log starts on an empty folder: the first open of a path created it (an open that fails is not logged).
            WriteOp.Open when !named.Contains(r.Path!) => r.Path,
            WriteOp.MakeDirectory => r.Path,
            WriteOp.Rename or WriteOp.Link => r.OtherPath,
            _ => null,
        };
        if (name is not null)
        {
            named.Add(name);
        }

        return name;
    }

    private static bool InScope(string data, string path)
    {
        var relative = Path.GetRelativePath(data, path);
        return relative is TriggerSets or Models
            || relative.StartsWith(TriggerSets + "/", StringComparison.Ordinal)
            || relative.StartsWith(Models + "/", StringComparison.Ordinal);
    }

    /// <summary>Publishes a signed set and waits for the device to accept it; the SHA-256 of its envelope.</summary>
    private static async Task<string> PushSetAsync(FleetSession fleet, int version, ECDsa key)
    {
        await fleet.PublishSignedSetAsync(version, key, Token);
        var ack = await fleet.WaitForAsync<TriggerSetAck>(fleet.Topics.TriggerSetAck, a => a.Decision == TriggerSetDecision.Accepted && a.Version == version, Token);
        Assert.Equal(version, ack.ActiveVersion);
        return Assert.IsType<string>(ack.Sha256);
    }

    /// <summary>
    /// Pushes the shipped obstacle model as release 1 of the running model, with an unknown protobuf
    /// field appended (field 1000, varint 1) so it has a hash of its own, and waits until it is active.
    /// </summary>
    private static async Task<ModelReleasePayload> PushModelAsync(FleetSession fleet, FleetTopics topics, ECDsa key, TempDirectory dir)
    {
        var file = dir.Combine("obstacle-detector-v1.onnx");
        var bytes = (byte[])[.. await File.ReadAllBytesAsync(RepositoryFiles.Path("firmware-config", "models", "obstacle-detector.onnx"), Token), 0xC0, 0x3E, 0x01];
        await File.WriteAllBytesAsync(file, bytes, Token);
        var release = new ModelReleasePayload(
            FleetTopics.Root, topics.Fleet, new TriggerSetTarget(TargetScope.Device, topics.Device), ModelName, 1,
            Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, OnnxModelContract.Read(file), DateTimeOffset.UtcNow);
        for (var i = 0; i < ModelTopics.ChunkCount(release.SizeBytes); i++)
        {
            var start = i * ModelTopics.ChunkBytes;
            await fleet.Client.PublishRetainedAsync(ModelTopics.Chunk(topics.Fleet, release.Sha256, i), bytes[start..(start + ModelTopics.ChunkLength(release.SizeBytes, i))], Token);
        }

        await fleet.Client.PublishRetainedAsync(ModelTopics.ReleaseOf(release), ModelReleaseSigner.Sign(release, key), Token);

        // In two waits, each within the session's deadline: downloaded and on probation, then past it.
        var topic = ModelTopics.Ack(topics.Fleet, topics.Device, ModelName);
        await fleet.WaitForAsync<ModelReleaseAck>(topic, a => a.Version == 1 && a.Stage != ModelReleaseStage.Downloading, Token);
        var ack = await fleet.WaitForAsync<ModelReleaseAck>(topic, a => a.Version == 1 && a.Stage != ModelReleaseStage.Downloading && a.Stage != ModelReleaseStage.Probation, Token);
        Assert.True(ack.Stage == ModelReleaseStage.Active, $"release 1 ended {ack.Stage}: {string.Join("; ", ack.Reasons.Select(r => $"{r.Reason} {r.Message}"))}");
        return release;
    }

    private static void AssertActiveSet(string state, string active, string? previous)
    {
        AssertEnvelope(state, "active.envelope.json", active);
        AssertEnvelope(state, "previous.envelope.json", previous);
    }

    private static void AssertRolledBack(string state, string active, string rolledBackFrom)
    {
        AssertEnvelope(state, "active.envelope.json", active);
        var refused = Path.Combine(state, TriggerSets, "rolled-back.sha256");
        Assert.True(File.Exists(refused), "no record of the set rolled back from: the next start would apply it again");
        Assert.Contains(rolledBackFrom, File.ReadAllLines(refused));
    }

    private static void AssertModelActive(string state, ModelReleasePayload release)
    {
        var models = Path.Combine(state, Models);
        var store = new ModelReleaseStore(models);
        var active = store.Read(ModelName).Active;
        Assert.True(active is not null, $"{store.StatePathOf(ModelName)} names no active release");
        Assert.Equal((release.Version, release.Sha256), (active.Version, active.Sha256));
        Assert.Equal(release.Sha256, HashOf(store.PathOf(ModelName, active)));
        var decided = Path.Combine(models, ModelReleaseDecisions.FileName);
        Assert.True(File.Exists(decided) && File.ReadAllLines(decided).Length == 1, $"{decided} does not record the release as decided: the next start would take it again");
        Assert.Equal(release.Version, new AcceptedModelReleases(models).VersionOf(ModelName));
    }

    private static void AssertEnvelope(string state, string file, string? expected)
    {
        var actual = HashOf(Path.Combine(state, TriggerSets, file));
        Assert.True(actual == expected, $"{TriggerSets}/{file} holds {actual ?? "nothing"}, the answer stood for {expected ?? "nothing"} (envelope SHA-256s)");
    }

    private static string? HashOf(string path) => File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) : null;
}
