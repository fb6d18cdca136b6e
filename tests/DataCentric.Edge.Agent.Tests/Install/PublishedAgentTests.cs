using System.Globalization;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// The install tests' process runner: a command that never ends (an installed agent that took a bad
/// config and runs on) must fail its test, not hold the run until CI gives up.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PublishedAgentTests
{
    [Fact]
    public async Task RunAsync_CommandThatNeverExits_IsKilledWithItsChildren_AndFailsSayingWhatItWaitedFor()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("dce-run");
        var childPidFile = dir.Combine("child.pid");

        var e = await Assert.ThrowsAsync<TimeoutException>(() => PublishedAgent.RunAsync(
            "bash", ["-c", $"sleep 600 & echo $! > '{childPidFile}'; echo started; wait"], null, TimeSpan.FromSeconds(2), ct));

        Assert.Contains("`bash -c sleep 600 &", e.Message, StringComparison.Ordinal);
        Assert.Contains("did not exit within 2 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("started", e.Message, StringComparison.Ordinal);

        // The child is gone too (or a zombie waiting for a reaper: no longer running either way).
        var child = int.Parse(await File.ReadAllTextAsync(childPidFile, ct), CultureInfo.InvariantCulture);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            while (IsRunning(child))
            {
                // SIGKILL is delivered asynchronously; bounded by the deadline.
                await Task.Delay(20, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"the command's child {child} still runs 30 s after the command was killed");
        }
    }

    [Fact]
    public async Task RunAsync_CommandThatExits_GivesItsExitCodeAndOutput()
    {
        var (exit, output) = await PublishedAgent.RunAsync("bash", ["-c", "echo out; echo err >&2; exit 3"], null, TestContext.Current.CancellationToken);

        Assert.Equal(3, exit);
        Assert.Equal("out\nerr\n", output);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ..."; Z is a zombie, gone is gone.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }
}
