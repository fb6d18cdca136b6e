namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// The generic-x64 install under systemd as PID 1 (tools/bench/Board/systemd-system-check.sh boots
/// one in a container over an overlay of this machine): what the offline verifier and the user
/// manager cannot show. It found that READY=1 never came under the units' sandbox.
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(SystemManagerTests))]
[CollectionDefinition(nameof(SystemManagerTests), DisableParallelization = true)]
public sealed class SystemManagerTests
{
    [Fact]
    public async Task InstalledUnit_UnderTheSystemManager_IsReady_RunsSandboxedAsItsUser_AndStopsCleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(Environment.UserName == "root", "boots a container: needs root");
        Assert.SkipUnless(File.Exists("/usr/bin/systemd-nspawn"), "needs systemd-container (tools/test.sh installs it)");
        Assert.SkipUnless(File.ReadAllText("/proc/filesystems").Contains("overlay", StringComparison.Ordinal), "needs overlayfs for the container's root");
        var (unshare, why) = await PublishedAgent.RunAsync("unshare", ["--mount", "true"], null, ct);
        Assert.SkipWhen(unshare != 0, $"no mount namespace here: {why}");
        var published = await PublishedAgent.EnsureAsync(ct);

        var (exit, output) = await PublishedAgent.RunAsync(
            "bash", [Path.Combine(PublishedAgent.RepositoryRoot, "tools", "bench", "Board", "systemd-system-check.sh"), "generic-x64", published], null, TimeSpan.FromMinutes(5), ct);
        TestContext.Current.SendDiagnosticMessage(output);
        // A machine whose kernel or cgroups will not boot a container says so; the agent is not at fault.
        Assert.SkipWhen(output.Contains("the container did not boot", StringComparison.Ordinal), output);

        Assert.True(exit == 0, output);
        Assert.Matches(@"state active/running, READY=1 \d+ ms after exec, restarts 0", output);
        Assert.Contains("runs as dce-agent:dce-agent, supplementary groups: dce-agent,video,gpio,i2c", output, StringComparison.Ordinal);
        Assert.Contains("mounts seen by the service: / ro, /var/lib/dce-agent rw; /proc/1 readable by the service user: no", output, StringComparison.Ordinal);
        Assert.Contains("camera dce_device_ok 0", output, StringComparison.Ordinal);
        Assert.Matches(@"clips stored [1-9]\d*, files in the data directory: [1-9]\d* \(.*\), owner dce-agent", output);
        Assert.Matches(@"systemctl stop: \d+ ms, result success, exit status 0", output);
    }
}
