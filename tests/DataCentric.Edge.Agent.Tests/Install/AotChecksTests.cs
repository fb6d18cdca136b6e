namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// The board-only paths (IMU bindings, GPIO, V4L2 and SocketCAN opens, every catalog query, the
/// example trigger sets, config errors) as Native AOT code, the way the agent ships:
/// tests/DataCentric.Edge.AotChecks, published for both architectures by tools/test.sh; the arm64
/// build runs under qemu-user.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AotChecksTests
{
    private const string Arm64Emulator = "/usr/bin/qemu-aarch64-static";
    private const string Arm64Loader = "/lib/ld-linux-aarch64.so.1";

    private static readonly string[] Checks =
        ["imu-mpu6050", "imu-bno055", "gpio-inputs", "v4l2-not-a-camera", "can-missing-interface", "clip-catalog", "trigger-examples", "config-errors"];

    [Theory]
    [InlineData("linux-x64")]
    [InlineData("linux-arm64")]
    public async Task BoardPaths_WorkAsNativeCode(string rid)
    {
        var binary = Path.Combine(PublishedAgent.RepositoryRoot, "artifacts", "aot-checks", rid, "dce-aot-checks");
        Assert.SkipUnless(File.Exists(binary), $"needs the Native AOT checks' {rid} publish (tools/test.sh publishes them)");
        var arm64 = rid == "linux-arm64";
        Assert.SkipWhen(arm64 && !(File.Exists(Arm64Emulator) && File.Exists(Arm64Loader)), "needs qemu-user-static and arm64 libc (tools/test.sh installs them)");

        var (exit, output) = arm64
            ? await PublishedAgent.RunAsync(Arm64Emulator, [binary], null, TestContext.Current.CancellationToken)
            : await PublishedAgent.RunAsync(binary, [], null, TestContext.Current.CancellationToken);

        Assert.True(exit == 0, output);

        // The V4L2 stand-in needs the right to make device nodes (CI has it): without it that one check
        // cannot run, and the test says so as a skip, not a pass. Every other check must pass outright.
        const string NeedsMknod = "v4l2-not-a-camera";
        foreach (var check in Checks.Where(c => c != NeedsMknod))
        {
            Assert.True(output.Contains($"ok {check}\n", StringComparison.Ordinal), $"{check} did not pass:\n{output}");
        }

        var skipped = output.Split('\n').FirstOrDefault(line => line.StartsWith($"skipped {NeedsMknod}:", StringComparison.Ordinal));
        Assert.SkipWhen(skipped is not null, $"the other checks passed, but {skipped}");
        Assert.True(output.Contains($"ok {NeedsMknod}\n", StringComparison.Ordinal), $"{NeedsMknod} did not pass:\n{output}");
    }
}
