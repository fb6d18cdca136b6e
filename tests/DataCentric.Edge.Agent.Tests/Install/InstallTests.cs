using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using DataCentric.Edge.Agent.Tests.EndToEnd;
using DataCentric.Edge.Agent.Tests.Health;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// The published linux-x64 agent installed by tools/install.sh into a staging root and started as
/// the unit would start it (systemd is not PID 1 on the test machines, so directly), then stopped
/// with SIGTERM as systemd stops it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InstallTests
{
    [Fact]
    public async Task InstalledAgent_RunsTheDemo_ServesMetrics_AndExitsCleanlyOnSigterm()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, "generic-x64", ct);
        var port = PrometheusText.FreePort();

        using var agent = StartDemo(root, port);
        // Two seconds of frames: well past the first, after which the start-up pages are released.
        var text = await PrometheusText.ScrapeUntilAsync(port, t => PrometheusText.Value(t, "dce_frames_inferred_total") > 30, TimeSpan.FromSeconds(30), ct);
        await StopWithSigtermAsync(agent, ct);

        Assert.True(PrometheusText.Value(text, "dce_frames_inferred_total") > 30, text + agent.Text);
        Assert.NotNull(PrometheusText.Value(text, "dce_inference_latency_seconds{model=\"obstacle-detector\",quantile=\"0.99\"}"));
        Assert.Equal(0, agent.Process.ExitCode);
        var released = Assert.Single(Regex.Matches(agent.Text, @"After start-up: released (\d+\.\d) MiB of resident code pages from (\d+) mappings"));
        Assert.True(double.Parse(released.Groups[1].Value, CultureInfo.InvariantCulture) > 1, released.Value);

        // The collector's settings as the Native AOT runtime took them: the build's (conservation, large objects) and
        // the unit's 2 MiB gen0 size, which lowers the gen0 budget's ceiling from the default 16 MiB.
        var collector = Assert.Single(Regex.Matches(agent.Text, "Garbage collector: .*")).Value;
        Assert.Contains("workstation, concurrent, conserve memory 5, gen0 budget at most 6.0 MiB, large objects from 1.0 MiB", collector, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstalledAgent_GivenANotifySocket_SaysReadyThenStopping_WhateverItsParent()
    {
        // Under the units' ProtectProc=invisible the service user cannot read PID 1's /proc entry, which
        // the hosting library's "is systemd my parent" test reads: NOTIFY_SOCKET alone must be enough.
        // Here the parent is this test process, not systemd.
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, "generic-x64", ct);
        using var notifications = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var socketPath = root.Combine("notify.sock");
        notifications.Bind(new UnixDomainSocketEndPoint(socketPath));

        using var agent = StartDemo(root, PrometheusText.FreePort(), ("NOTIFY_SOCKET", socketPath));
        var ready = await ReceiveAsync(notifications, ct);
        await StopWithSigtermAsync(agent, ct);
        var stopping = await ReceiveAsync(notifications, ct);

        Assert.Contains("READY=1", ready, StringComparison.Ordinal);
        Assert.Contains("STOPPING=1", stopping, StringComparison.Ordinal);
        Assert.Equal(0, agent.Process.ExitCode);
    }

    [Fact]
    public async Task InstalledAgent_AnswersFleetCommands_AndTakesASignedTriggerSet()
    {
        // What the demo alone does not run in the trimmed publish: the command contract's JSON both
        // ways, the catalog's queries, a YAML trigger set and its signature.
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, "generic-x64", ct);
        using var fleetKey = FleetKeys.New();
        var pinned = root.Combine("fleet.pub.pem");
        await File.WriteAllTextAsync(pinned, fleetKey.ExportSubjectPublicKeyInfoPem(), ct);
        var brokerPort = PrometheusText.FreePort();
        var metricsPort = PrometheusText.FreePort();
        using var agent = StartDemo(root, metricsPort, ("DCE_Uplink__Port", $"{brokerPort}"), ("DCE_RemoteConfig__TrustedKeyPaths__0", pinned));
        // A frame through the model means every stage, the embedded broker among them, has started.
        await PrometheusText.ScrapeUntilAsync(metricsPort, t => PrometheusText.Value(t, "dce_frames_inferred_total") > 0, TimeSpan.FromSeconds(20), ct);
        await using var fleet = await FleetSession.OpenAsync(new BrokerEndpoint("127.0.0.1", brokerPort), new FleetTopics("fleet-1", "generic-x64-0001"), ct);

        Assert.Equal(1, (await fleet.PingAsync(ct)).TriggerSetVersion);
        var clips = await PollAsync(() => fleet.SendOkAsync<List<ClipSummary>>(new CommandRequest(CommandNames.ListClips), ct), c => c.Count > 0, ct);
        var events = await fleet.SendOkAsync<List<EventSummary>>(new CommandRequest(CommandNames.ListEvents), ct);
        Assert.Contains(events, e => e.ClipId == clips[0].ClipId);
        var pulled = await fleet.SendOkAsync<PullResult>(new CommandRequest(CommandNames.PullClip) { ClipId = clips[0].ClipId }, ct);
        Assert.Equal(clips[0].ClipId, pulled.ClipId);

        await fleet.PublishSignedSetAsync(version: 2, fleetKey, ct);
        var ack = await fleet.WaitForAsync<TriggerSetAck>(fleet.Topics.TriggerSetAck, a => a.Version == 2, ct);
        Assert.True(ack.Decision == TriggerSetDecision.Accepted, string.Join("; ", ack.Errors));
        Assert.Equal(2, (await fleet.PingAsync(ct)).TriggerSetVersion);

        await StopWithSigtermAsync(agent, ct);
        Assert.Equal(0, agent.Process.ExitCode);
    }

    [Fact]
    public async Task InstalledAgent_WithoutItsCamera_RunsAndSaysWhatIsMissing()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipWhen(File.Exists("/dev/video0"), "this machine has /dev/video0");
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, "generic-x64", ct);
        var port = PrometheusText.FreePort();

        // The board's own config, as the unit runs it: a V4L2 camera and a UDP controller feed.
        using var agent = Start(
            root, ["run", "--config", root.Combine("etc", "dce-agent", "agent.json")], port, ("DCE_Sources__Controller__UdpPort", $"{PrometheusText.FreePort()}"));
        var text = await PrometheusText.ScrapeUntilAsync(
            port, t => PrometheusText.Value(t, "dce_device_ok{component=\"camera\",device=\"/dev/video0\"}") == 0, TimeSpan.FromSeconds(20), ct);
        await StopWithSigtermAsync(agent, ct);
        Assert.Equal(0, agent.Process.ExitCode);
        Assert.Equal(0, PrometheusText.Value(text, "dce_frames_captured_total"));
        Assert.Contains("Device camera Missing at /dev/video0", agent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigForAnotherBoard_ExitsNonZero_NamingBothBoards()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, "generic-x64", ct);
        var config = root.Combine("pi5.json");
        File.Copy(Path.Combine(PublishedAgent.RepositoryRoot, "firmware-config", "raspberry-pi-5", "appsettings.RaspberryPi5.json"), config);

        var (exit, output) = await RunInstalledAsync(root, ["run", "--config", config], ct);

        Assert.Equal(2, exit);
        Assert.Contains("Board:Id: this config is for 'raspberry-pi-5' but this machine is", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKey_ExitsNonZero_NamingTheKey()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, "generic-x64", ct);
        var config = root.Combine("typo.json");
        await File.WriteAllTextAsync(config, """{ "Health": { "MetricsPrt": 9464 } }""", ct);

        var (exit, output) = await RunInstalledAsync(root, ["run", "--config", config], ct);

        Assert.Equal(2, exit);
        Assert.Contains("invalid configuration", output, StringComparison.Ordinal);
        Assert.Contains("MetricsPrt", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedConfigFile_ExitsNonZero_NamingTheLine()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, "generic-x64", ct);
        var config = root.Combine("broken.json");
        await File.WriteAllTextAsync(config, "{\n  \"Health\": { \"MetricsPort\": 9464,, }\n}", ct);

        var (exit, output) = await RunInstalledAsync(root, ["run", "--config", config], ct);

        Assert.Equal(2, exit);
        Assert.Contains("LineNumber: 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reinstall_KeepsAnEditedConfig_AndUninstallRemovesAllButConfigAndData()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, "raspberry-pi-4", ct);
        var config = root.Combine("etc", "dce-agent", "agent.json");
        var edited = (await File.ReadAllTextAsync(config, ct)).Replace("raspberry-pi-4-0001", "pi-on-the-left", StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, edited, ct);
        await File.WriteAllTextAsync(root.Combine("var", "lib", "dce-agent", "catalog.db"), "stored", ct);

        var again = await InstallAsync(root, "raspberry-pi-4", ct);

        Assert.Contains("kept the edited", again, StringComparison.Ordinal);
        Assert.Equal(edited, await File.ReadAllTextAsync(config, ct));
        Assert.Contains("\"Id\": \"raspberry-pi-4\"", await File.ReadAllTextAsync(config + ".dist", ct), StringComparison.Ordinal);
        Assert.Contains("WorkingDirectory=/opt/dce-agent", await File.ReadAllTextAsync(root.Combine("etc", "systemd", "system", "dce-agent.service"), ct), StringComparison.Ordinal);
        Assert.Equal("/etc/systemd/system/dce-agent.service", new FileInfo(root.Combine("etc", "systemd", "system", "multi-user.target.wants", "dce-agent.service")).LinkTarget);

        var (exit, output) = await PublishedAgent.RunAsync("bash", [Script, "--uninstall", "--prefix", root.Path], null, ct);

        Assert.True(exit == 0, output);
        Assert.False(Directory.Exists(root.Combine("opt", "dce-agent")));
        Assert.False(File.Exists(root.Combine("etc", "systemd", "system", "dce-agent.service")));
        Assert.False(File.Exists(root.Combine("etc", "udev", "rules.d", "70-dce-agent.rules")));
        Assert.Equal(edited, await File.ReadAllTextAsync(config, ct));
        Assert.Equal("stored", await File.ReadAllTextAsync(root.Combine("var", "lib", "dce-agent", "catalog.db"), ct));
    }

    /// <summary>
    /// systemd is not PID 1 here, but its own unit checker runs offline: every directive must parse
    /// (a typo or a bad value is only a warning at boot, and the limits silently vanish).
    /// </summary>
    [Theory]
    [InlineData("raspberry-pi-4")]
    [InlineData("raspberry-pi-5")]
    [InlineData("jetson-orin-nano")]
    [InlineData("generic-x64")]
    public async Task InstalledUnit_PassesSystemdsOwnVerifier(string board)
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, board, ct);

        // The verifier wants the unit's executable to exist: point the unit at the staged copy.
        var unit = await File.ReadAllTextAsync(root.Combine("etc", "systemd", "system", "dce-agent.service"), ct);
        var staged = root.Combine("dce-agent-check.service");
        await File.WriteAllTextAsync(staged, unit.Replace("/opt/dce-agent", root.Combine("opt", "dce-agent"), StringComparison.Ordinal), ct);
        var (exit, output) = await PublishedAgent.RunAsync("systemd-analyze", ["verify", staged], null, ct);

        Assert.True(exit == 0 && output.Trim().Length == 0, $"systemd-analyze verify ({board}):\n{output}");

        // systemd's exposure score (0 safest, 10 worst): hardened to 3.8 ("OK"); fails above 4.5.
        var (overExposed, security) = await PublishedAgent.RunAsync("systemd-analyze", ["security", "--offline=yes", "--threshold=45", staged], null, ct);
        Assert.True(overExposed == 0, $"systemd-analyze security ({board}):\n{security}");
        Assert.Contains("Type=notify", unit, StringComparison.Ordinal);
        Assert.Contains("MemoryMax=", unit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemdVerifier_CatchesAMistypedDirective()
    {
        // Guards the test above: the verifier really reports what a unit gets wrong.
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-install");
        await InstallAsync(root, "generic-x64", ct);
        var unit = await File.ReadAllTextAsync(root.Combine("etc", "systemd", "system", "dce-agent.service"), ct);
        var staged = root.Combine("dce-agent-typo.service");
        await File.WriteAllTextAsync(staged, unit.Replace("/opt/dce-agent", root.Combine("opt", "dce-agent"), StringComparison.Ordinal).Replace("MemoryMax=", "MemoryMaks=", StringComparison.Ordinal), ct);

        var (_, output) = await PublishedAgent.RunAsync("systemd-analyze", ["verify", staged], null, ct);

        Assert.Contains("Unknown key 'MemoryMaks'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownBoard_IsRefusedByTheInstaller()
    {
        using var root = new TempDirectory("dce-install");

        var (exit, output) = await PublishedAgent.RunAsync("bash", [Script, "--board", "raspberry-pi-3", "--prefix", root.Path], null, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Contains("unknown board 'raspberry-pi-3'", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root.Combine("opt")));
    }

    /// <summary>Well past the unit's TimeoutStopSec (20 s), after which systemd would kill it.</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromMinutes(1);

    private static string Script => Path.Combine(PublishedAgent.RepositoryRoot, "tools", "install.sh");

    private static async Task<string> InstallAsync(TempDirectory root, string board, CancellationToken ct)
    {
        var published = await PublishedAgent.EnsureAsync(ct);
        // One bench device per staging root: the board's shipped id is fine here (ProvisioningTests sets real ones).
        var (exit, output) = await PublishedAgent.RunAsync("bash", [Script, "--board", board, "--allow-default-id", "--from", published, "--prefix", root.Path], null, ct);
        Assert.True(exit == 0, output);
        Assert.True(File.Exists(root.Combine("opt", "dce-agent", "dce-agent")), output);
        return output;
    }

    private static Task<(int Exit, string Output)> RunInstalledAsync(TempDirectory root, string[] args, CancellationToken ct) =>
        PublishedAgent.RunAsync(root.Combine("opt", "dce-agent", "dce-agent"), args, Environment(root, 0), ct);

    /// <summary>The installed unit's environment (its Environment= lines), and the staging root's paths in place of /var/lib.</summary>
    private static Dictionary<string, string> Environment(TempDirectory root, int metricsPort)
    {
        var environment = File.ReadLines(root.Combine("etc", "systemd", "system", "dce-agent.service"))
            .Where(line => line.StartsWith("Environment=", StringComparison.Ordinal))
            .Select(line => line["Environment=".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        environment["DCE_Agent__DataDirectory"] = root.Combine("data");
        environment["DCE_Uplink__Port"] = "0";
        environment["DCE_Health__MetricsPort"] = metricsPort == 0 ? "9464" : $"{metricsPort}";
        return environment;
    }

    /// <summary>
    /// The installed board config in demo mode, with the demo's scene and simulated controller
    /// standing in for the camera and controller this machine does not have.
    /// </summary>
    private static RunningAgent StartDemo(TempDirectory root, int metricsPort, params (string Key, string Value)[] overrides) =>
        Start(
            root,
            ["demo", "--duration", "600", "--out", root.Combine("received"), "--config", root.Combine("etc", "dce-agent", "agent.json")],
            metricsPort,
            [("DCE_Sources__Camera__Kind", "Synthetic"), ("DCE_Sources__Controller__Kind", "Simulated"), .. overrides]);

    internal static RunningAgent Start(TempDirectory root, string[] args, int metricsPort, params (string Key, string Value)[] overrides)
    {
        var start = new ProcessStartInfo(root.Combine("opt", "dce-agent", "dce-agent"))
        {
            WorkingDirectory = root.Combine("opt", "dce-agent"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment(root, metricsPort).Select(e => (e.Key, e.Value)).Concat(overrides))
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningAgent(process, output);
    }

    /// <summary>The next datagram on the notify socket, as text; fails after 30 s.</summary>
    private static async Task<string> ReceiveAsync(Socket socket, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Asks again every 250 ms until the answer matches (the scene's first episode takes seconds), for at most 30 s.</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T>> ask, Func<T, bool> match, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        for (var answer = await ask(); ; answer = await ask())
        {
            if (match(answer))
            {
                return answer;
            }

            await Task.Delay(250, deadline.Token);
        }
    }

    /// <summary>
    /// Stops the agent as systemd does and waits until it has exited. How fast it stops is for the
    /// benchmarks; here it must stop at all: the deadline only keeps a hang from holding the run, and
    /// a hang fails the test with the agent's output.
    /// </summary>
    internal static async Task StopWithSigtermAsync(RunningAgent agent, CancellationToken ct)
    {
        Signal(agent.Process, "TERM");
        try
        {
            await agent.Process.WaitForExitAsync(ct).WaitAsync(StopDeadline, ct);
        }
        catch (TimeoutException)
        {
            agent.Process.Kill(entireProcessTree: true);
            Assert.Fail($"the agent had not exited {StopDeadline.TotalSeconds:0} s after SIGTERM; killed it. Its output:\n{agent.Text}");
        }
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", $"{process.Id}"]);
        kill.WaitForExit();
    }

    internal sealed record RunningAgent(Process Process, StringBuilder Output) : IDisposable
    {
        public string Text
        {
            get
            {
                lock (Output)
                {
                    return Output.ToString();
                }
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }

            Process.Dispose();
        }
    }
}
