using DataCentric.Edge.TestKit.Processes;

namespace DataCentric.Edge.Agent.Tests;

/// <summary>The agent as an operator runs it: a separate process, its exit code and its stderr.</summary>
[Trait("Category", "Integration")]
public sealed class AgentProcessTests
{
    [Fact]
    public async Task UnknownOption_ExitsWith2_NamingIt()
    {
        var (exit, _, error) = await RunAsync(["demo", "--bogus"], []);

        Assert.Equal(2, exit);
        Assert.Contains("unknown option '--bogus'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfiguration_ExitsWith2_NamingEveryKey_AndStartsNothing()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"dce-never-{Guid.NewGuid():N}");

        var (exit, output, error) = await RunAsync(
            ["demo", "--data", dataDirectory],
            new() { ["DCE_Uplink__Port"] = "99999", ["DCE_Sources__Synthetic__FramesPerSecond"] = "fast" });

        Assert.Equal(2, exit);
        Assert.Contains("Uplink:Port", error, StringComparison.Ordinal);
        Assert.Contains("Sources:Synthetic", error, StringComparison.Ordinal);
        Assert.DoesNotContain("trigger", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory));
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(string[] args, Dictionary<string, string?> environment) =>
        DotnetApp.RunAsync("dce-agent.dll", args, environment, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
}
