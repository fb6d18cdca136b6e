namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// The board-only paths (IMU bindings, GPIO, V4L2 and SocketCAN opens, every catalog query, config errors) as
/// Native AOT code, the way the agent ships: tests/DataCentric.Edge.AotChecks, published by tools/test.sh.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AotChecksTests
{
    private static readonly string[] Checks = ["imu-mpu6050", "imu-bno055", "gpio-inputs", "v4l2-not-a-camera", "can-missing-interface", "clip-catalog", "config-errors"];

    [Fact]
    public async Task BoardPaths_WorkAsNativeCode()
    {
        var binary = Path.Combine(PublishedAgent.RepositoryRoot, "artifacts", "aot-checks", "linux-x64", "dce-aot-checks");
        Assert.SkipUnless(File.Exists(binary), "needs the Native AOT checks' publish (tools/test.sh publishes them)");

        var (exit, output) = await PublishedAgent.RunAsync(binary, [], null, TestContext.Current.CancellationToken);

        Assert.True(exit == 0, output);
        foreach (var check in Checks)
        {
            // The V4L2 stand-in needs root (mknod); everything else must pass outright.
            var passed = output.Contains($"ok {check}\n", StringComparison.Ordinal)
                || (check == "v4l2-not-a-camera" && Environment.UserName != "root" && output.Contains($"skipped {check}:", StringComparison.Ordinal));
            Assert.True(passed, $"{check} did not pass:\n{output}");
        }
    }
}
