using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// A fleet of three, set up as an integrator and a fleet manager would: three machines provisioned
/// by install.sh alone (<c>--device-id auto</c> from each machine id, each with its own certificate,
/// two in group line-3), three published agents on mosquitto with TLS and the shipped ACL, and the
/// fleet steered with the real edgectl commands: list, sign, push to the group, ping, pull a window.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FleetOfThreeTests
{
    private const string Fleet = "plant-7";
    private const string Group = "line-3";

    /// <summary>How long a device may take to come online, or a fleet-wide state to settle.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(45);

    /// <summary>Three machines, told apart only by their /etc/machine-id.</summary>
    private static readonly string[] MachineIds = ["5b0e6f2a9c1d4e7f8a3b2c1d0e9f8a7b", "c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"];

    [Fact]
    public async Task ThreeInstalledDevices_AreOnlineAsThemselves_OnlyTheGroupTakesItsSet_AndOneAnswersAnAbsoluteWindow()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await SecureBroker.StartAsync(new MosquittoOptions { LogConnections = true }, ct);
        using var desk = new TempDirectory("dce-fleet3-desk");
        var (operatorCertificate, operatorKey) = broker.Pki.IssueTool("dce-operator");
        string[] fleet = ["--broker", $"127.0.0.1:{broker.ToolsEndpoint.Port}", "--ca", broker.Pki.CaCertificatePath, "--cert", operatorCertificate, "--key", operatorKey, "--fleet", Fleet];
        await Edgectl.RunOkAsync(["keys", "new", "--out", desk.Combine("fleet")]);

        // Provisioning, per machine: learn the id it will get, make its certificate for that id, install.
        var roots = MachineIds.Select(InstallScript.MachineRoot).ToList();
        var devices = new List<InstalledDevice>();
        var agents = new List<InstallTests.RunningAgent>();
        try
        {
            foreach (var (root, i) in roots.Select((r, i) => (r, i)))
            {
                var (shown, said) = await InstallScript.RunAsync(root, ["--board", "generic-x64", "--show-device-id"], ct);
                Assert.True(shown == 0, said);
                var (certificate, key) = broker.Pki.IssueClient(said.Trim());
                devices.Add(await InstalledDevice.InstallAsync(
                    root,
                    ["--board", "generic-x64", "--fleet", Fleet, "--device-id", "auto", "--broker", $"127.0.0.1:{broker.Endpoint.Port}",
                     "--ca", broker.Pki.CaCertificatePath, "--cert", certificate, "--key", key, "--trusted-key", desk.Combine("fleet.pub"),
                     "--group", i < 2 ? Group : "yard"],
                    ct));
                Assert.Equal(said.Trim(), devices[^1].DeviceId);
            }

            var ids = devices.Select(d => d.DeviceId).ToList();
            Assert.Equal(3, ids.Distinct(StringComparer.Ordinal).Count());
            Assert.All(devices, d => Assert.Equal(Fleet, d.Fleet));
            var (first, second, outsider) = (ids[0], ids[1], ids[2]);

            // No camera here: the simulated one, at a rate three agents and the test share two CI cores with.
            agents.AddRange(devices.Select(d => d.Start(
                ("DCE_Sources__Camera__Kind", "Synthetic"),
                ("DCE_Sources__Synthetic__FramesPerSecond", "5"),
                ("DCE_Sources__Synthetic__Width", "320"),
                ("DCE_Sources__Synthetic__Height", "240"))));

            var online = await UntilAsync(() => DevicesAsync(fleet), all => ids.All(id => all.Any(s => s.Device == id && s.State == "online")), "all three devices online", agents);
            var onlineAt = DateTimeOffset.UtcNow;
            var oldVersion = online.Single(s => s.Device == outsider).TriggerSetVersion ?? throw new InvalidOperationException($"{outsider} reports no trigger set version");
            Assert.All(ids, id => Assert.Equal(oldVersion, online.Single(s => s.Device == id).TriggerSetVersion));

            // The fleet manager signs a set for the group and pushes it: exactly the two members answer, both accept.
            var set = desk.Combine("line-3.yaml");
            await File.WriteAllTextAsync(set, LineSet(version: oldVersion + 1), ct);
            await Edgectl.RunOkAsync(["triggers", "sign", set, "--key", desk.Combine("fleet.key"), "--target", $"group:{Group}", "--fleet", Fleet, "--out", desk.Combine("line-3.signed")]);
            var pushed = await Edgectl.RunAsync(["triggers", "push", desk.Combine("line-3.signed"), .. fleet, "--expect", "2", "--timeout", "00:00:45", "--json"]);
            Assert.True(pushed.Exit == 0, pushed.Output + pushed.Error + AgentOutputs(agents));
            var acks = Rows(pushed.Output, UplinkJson.TypeInfo<TriggerSetAck>());
            Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), acks.Select(a => a.Device).Order(StringComparer.Ordinal));
            Assert.All(acks, a => Assert.Equal((TriggerSetDecision.Accepted, oldVersion + 1), (a.Decision, a.ActiveVersion)));

            // The members report the new set in their status; the outsider keeps its own and answers with it.
            var settled = await UntilAsync(
                () => DevicesAsync(fleet), all => all.Count(s => s.TriggerSetVersion == oldVersion + 1) == 2, "the two members reporting the new set", agents);
            Assert.Equal(oldVersion, settled.Single(s => s.Device == outsider).TriggerSetVersion);
            var ping = JsonSerializer.Deserialize(await Edgectl.RunOkAsync(["devices", "ping", outsider, .. fleet, "--json"]), UplinkJson.TypeInfo<PingResult>())!;
            Assert.Equal((outsider, oldVersion), (ping.Device, ping.TriggerSetVersion));
            var lastAcks = Rows(await Edgectl.RunOkAsync(["triggers", "status", .. fleet, "--json"]), UplinkJson.TypeInfo<TriggerSetAck>());
            Assert.DoesNotContain(lastAcks, a => a.Device == outsider && a.Version == oldVersion + 1);

            // An absolute window from one member, a few seconds after all were online: what arrives covers it, and is what the device sent.
            var from = onlineAt + TimeSpan.FromSeconds(1);
            var to = from + TimeSpan.FromSeconds(3);
            await WhenPastAsync(to + TimeSpan.FromSeconds(0.5), ct);
            var received = desk.Combine("pulled");
            var pulled = await Edgectl.RunAsync(
                ["clips", "pull", "--device", first, .. fleet, "--from", Iso(from), "--to", Iso(to), "--out", received, "--wait", "00:00:45", "--json"]);
            TestContext.Current.TestOutputHelper?.WriteLine($"edgectl clips pull --from {Iso(from)} --to {Iso(to)}:\n{pulled.Error}{pulled.Output}");
            if (pulled.Exit != 0)
            {
                // What the device says of its clips (upload states) tells a lost upload from a cut never made.
                var clips = await Edgectl.RunAsync(["clips", "ls", "--device", first, .. fleet, "--json"]);
                Assert.Fail($"{pulled.Output}{pulled.Error}\nedgectl clips ls --device {first}:\n{clips.Output}{clips.Error}{AgentOutputs(agents)}");
            }

            AssertCovers(PulledClips(pulled.Output), first, from, to, received);

            // Each device kept its one broker session throughout: its own client id, connected once, never taken over or dropped.
            var brokerLog = broker.Broker.Log;
            Assert.All(ids, id => Assert.True(
                Regex.Count(brokerLog, $@"New client connected from \S+ as {Regex.Escape(id)} ") == 1 && !brokerLog.Contains($"Client {id} ", StringComparison.Ordinal),
                $"{id}: not exactly one uninterrupted session in the broker log:\n{brokerLog}"));
            Assert.DoesNotContain("already connected", brokerLog, StringComparison.Ordinal);
            var end = await DevicesAsync(fleet);
            Assert.All(ids, id => Assert.Equal("online", end.Single(s => s.Device == id).State));

            foreach (var agent in agents)
            {
                await InstallTests.StopWithSigtermAsync(agent, ct);
                Assert.True(agent.Process.ExitCode == 0, agent.Text);
            }
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
            roots.ForEach(r => r.Dispose());
        }
    }

    /// <summary>
    /// The pulled clips together cover [<paramref name="from"/>, <paramref name="to"/>] without a hole; each file is
    /// whole (its SHA-256 is the one the device stated), from <paramref name="device"/>, and its frames lie in its stated range.
    /// </summary>
    private static void AssertCovers(IReadOnlyList<PulledClip> clips, string device, DateTimeOffset from, DateTimeOffset to, string received)
    {
        Assert.NotEmpty(clips);

        // Only the pull's clips land in --out (the device's other uploads go by the same topics).
        Assert.Equal(
            clips.Select(c => Path.GetFullPath(c.Path)).Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(received, "*.mcap", SearchOption.AllDirectories).Select(Path.GetFullPath).Order(StringComparer.Ordinal));
        var frames = new List<DateTimeOffset>();
        foreach (var clip in clips)
        {
            Assert.Equal(clip.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(clip.Path))), ignoreCase: true);
            using var file = File.OpenRead(clip.Path);
            var content = new McapClipReader().Read(file);
            Assert.Equal(device, content.Metadata["device.id"]);
            Assert.True(clip.StartWall < to && clip.EndWall > from, $"{clip.ClipId} ({Iso(clip.StartWall)} to {Iso(clip.EndWall)}) is outside the window");
            Assert.All(content.Frames, f => Assert.InRange(f.WallClock, clip.StartWall, clip.EndWall));
            frames.AddRange(content.Frames.Select(f => f.WallClock));
        }

        // At 5 frames/s a frame every 200 ms; a loaded CI runner may stall the camera a little, not for a second.
        var inWindow = frames.Order().Where(t => t >= from - TimeSpan.FromSeconds(1) && t <= to + TimeSpan.FromSeconds(1)).ToList();
        Assert.True(inWindow.Count > 0 && inWindow[0] <= from + TimeSpan.FromSeconds(0.5) && inWindow[^1] >= to - TimeSpan.FromSeconds(0.5),
            $"frames from {Iso(inWindow.FirstOrDefault())} to {Iso(inWindow.LastOrDefault())} do not reach {Iso(from)} to {Iso(to)}");
        var widest = inWindow.Zip(inWindow.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();
        Assert.True(widest < TimeSpan.FromSeconds(1), $"a {widest.TotalSeconds:0.00} s hole in the pulled frames of {Iso(from)} to {Iso(to)}");
    }

    private static async Task<List<DeviceStatus>> DevicesAsync(string[] fleet) =>
        Rows(await Edgectl.RunOkAsync(["devices", .. fleet, "--json"]), UplinkJson.TypeInfo<DeviceStatus>());

    /// <summary>Asks again every 500 ms until the answer matches; fails naming <paramref name="what"/>, with the agents' output, after <see cref="Settle"/>.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> ask, Func<T, bool> match, string what, IReadOnlyList<InstallTests.RunningAgent> agents)
    {
        var deadline = DateTimeOffset.UtcNow + Settle;
        for (var answer = await ask(); ; answer = await ask())
        {
            if (match(answer))
            {
                return answer;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"no {what} within {Settle.TotalSeconds:0} s; last answer {JsonSerializer.Serialize(answer)}{AgentOutputs(agents)}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A window is asked for once it is over: waits until the wall clock passes <paramref name="time"/>.</summary>
    private static async Task WhenPastAsync(DateTimeOffset time, CancellationToken ct)
    {
        var left = time - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, ct);
        }
    }

    private static List<T> Rows<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> row)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Deserialize(row)!)];
    }

    /// <summary>edgectl clips pull --json: one row per clip that arrived.</summary>
    private static List<PulledClip> PulledClips(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => new PulledClip(
            e.GetProperty("clipId").GetString()!,
            e.GetProperty("startWall").GetDateTimeOffset(),
            e.GetProperty("endWall").GetDateTimeOffset(),
            e.GetProperty("sha256").GetString()!,
            e.GetProperty("path").GetString()!))];
    }

    private static string LineSet(int version) => $$"""
        schemaVersion: 1
        version: {{version}}
        description: Line 3's boards only
        triggers:
          - id: line-3-missed-obstacle
            when: held(shadow.obstacle > 0.6 and not primary.brake, 300ms)
            pre: 2s
            post: 1s
            cooldown: 3s
        """;

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string AgentOutputs(IEnumerable<InstallTests.RunningAgent> agents) =>
        string.Concat(agents.Select((a, i) => $"\n--- agent {i} ---\n{a.Text}"));

    private sealed record PulledClip(string ClipId, DateTimeOffset StartWall, DateTimeOffset EndWall, string Sha256, string Path);
}
