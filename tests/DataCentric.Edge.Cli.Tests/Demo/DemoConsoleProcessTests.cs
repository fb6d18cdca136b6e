using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests.Demo;

/// <summary>
/// <c>dce-agent demo --console</c> as a new user runs it: a real agent process that starts a real dce-fleet
/// child on the demo's broker. This test project's output holds both programs (it references edgectl, which
/// references the agent, and dce-fleet), so the demo finds dce-fleet beside itself.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class DemoConsoleProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DemoWithConsole_ServesThisRunsClipsAtThePrintedUrl_AndStopsEverything()
    {
        using var dir = new TempDirectory("dce-demo-console");
        var demo = DemoProcess.Start(["demo", "--console", "--duration", "40", "--out", dir.Combine("clips"), "--data", dir.Combine("data")]);
        await using var _ = demo;

        var consoleLine = await demo.WaitForLineAsync(ConsoleLine(), TimeSpan.FromSeconds(120));
        var match = ConsoleLine().Match(consoleLine);
        var consoleUrl = new Uri(match.Groups["url"].Value);
        var token = match.Groups["token"].Value;
        var fleetPid = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
        var broker = BrokerLine().Match(demo.Output);
        var brokerPort = int.Parse(broker.Groups["port"].Value, CultureInfo.InvariantCulture);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var page = await http.GetAsync(consoleUrl, Ct))
        {
            Assert.True(page.IsSuccessStatusCode, $"GET {consoleUrl}: {(int)page.StatusCode}");
            Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }

        // A clip the demo's own receiver printed in this run is in the console's catalog.
        var clips = new Uri(consoleUrl, "/api/clips?limit=200");
        IReadOnlyList<ApiClip> listed = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!listed.Any(c => demo.PrintedClipIds().Contains(c.ClipId)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no clip of this run at {clips} (listed: {string.Join(", ", listed.Select(c => c.ClipId))}):{Environment.NewLine}{demo.Output}");
            using var response = await http.GetAsync(clips, Ct);
            Assert.True(response.IsSuccessStatusCode, $"GET {clips}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            listed = (await response.Content.ReadFromJsonAsync(FleetApiJsonContext.Default.ApiPageApiClip, Ct))!.Items;
            await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        }

        var clip = listed.First(c => demo.PrintedClipIds().Contains(c.ClipId));
        Assert.Equal(broker.Groups["device"].Value, clip.Device);
        Assert.True(clip.FrameCount > 0);

        // The duration ends the demo: the agent exits cleanly, and dce-fleet and both ports are gone with it.
        var exit = await demo.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(exit == 0, $"exit {exit}:{Environment.NewLine}{demo.Output}");
        Assert.Matches(@"demo: \d+ triggers, [1-9]\d* clips received", demo.Output);
        await WaitUntilAsync(() => !Directory.Exists($"/proc/{fleetPid}"), $"dce-fleet (pid {fleetPid}) still runs after the demo exited");
        Assert.False(Listens(consoleUrl.Port), $"port {consoleUrl.Port} (the console) still accepts connections");
        Assert.False(Listens(brokerPort), $"port {brokerPort} (the broker) still accepts connections");
    }

    [Fact]
    public async Task TokenOtherThanThePrintedOne_IsRefused()
    {
        using var dir = new TempDirectory("dce-demo-console");
        var demo = DemoProcess.Start(["demo", "--console", "--duration", "60", "--out", dir.Combine("clips"), "--data", dir.Combine("data")]);
        await using var _ = demo;
        var match = ConsoleLine().Match(await demo.WaitForLineAsync(ConsoleLine(), TimeSpan.FromSeconds(120)));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new string('0', match.Groups["token"].Length));
        using var response = await http.GetAsync(new Uri(new Uri(match.Groups["url"].Value), "/api/clips"), Ct);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
        }
    }

    private static bool Listens(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^console  (?<url>http://127\.0\.0\.1:\d+/console/)  token (?<token>[0-9a-f]{48})  \(dce-fleet, pid (?<pid>\d+),", RegexOptions.Multiline)]
    private static partial Regex ConsoleLine();

    [GeneratedRegex(@"^broker   127\.0\.0\.1:(?<port>\d+) .*  device (?<device>\S+)", RegexOptions.Multiline)]
    private static partial Regex BrokerLine();

    /// <summary>The agent as a child process (dotnet dce-agent.dll from this output folder), its output kept.</summary>
    private sealed partial class DemoProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly SemaphoreSlim _newLine = new(0);

        private DemoProcess(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static DemoProcess Start(IEnumerable<string> args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dce-agent.dll"));
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            var process = new Process { StartInfo = start };
            var demo = new DemoProcess(process);
            process.OutputDataReceived += (_, e) => demo.OnLine(e.Data);
            process.ErrorDataReceived += (_, e) => demo.OnLine(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return demo;
        }

        /// <summary>The clip ids the demo's own receiver printed ("clip     {id}  trigger ...").</summary>
        public HashSet<string> PrintedClipIds() =>
            [.. ClipLine().Matches(Output).Select(m => m.Groups["id"].Value)];

        public async Task<string> WaitForLineAsync(Regex pattern, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                if (pattern.Match(Output) is { Success: true } match)
                {
                    return match.Value;
                }

                Assert.False(_process.HasExited, $"the demo exited ({(_process.HasExited ? _process.ExitCode : 0)}) before printing {pattern}:{Environment.NewLine}{Output}");
                var left = deadline - DateTime.UtcNow;
                Assert.True(left > TimeSpan.Zero, $"no line like {pattern} within {timeout}:{Environment.NewLine}{Output}");
                await _newLine.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), Ct);
            }
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(timeout);
            await _process.WaitForExitAsync(limit.Token);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            _newLine.Dispose();
        }

        private void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            _newLine.Release();
        }

        [GeneratedRegex(@"^clip     (?<id>\S+)  trigger", RegexOptions.Multiline)]
        private static partial Regex ClipLine();
    }
}
