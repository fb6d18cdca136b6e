namespace DataCentric.Edge.Agent.Tests;

[Trait("Category", "Unit")]
public sealed class AgentCommandLineTests
{
    [Fact]
    public void Demo_WithDurationAndOut_IsParsed()
    {
        var line = AgentCommandLine.TryParse(["demo", "--duration", "12.5", "--out", "clips"], out var error);

        Assert.Null(error);
        Assert.NotNull(line);
        Assert.Equal(AgentMode.Demo, line.Mode);
        Assert.Equal(TimeSpan.FromSeconds(12.5), line.Duration);
        Assert.Equal("clips", line.OutputDirectory);
    }

    [Fact]
    public void NoArguments_MeansRunWithDefaults()
    {
        var line = AgentCommandLine.TryParse([], out _);

        Assert.Equal(AgentMode.Run, line!.Mode);
    }

    [Theory]
    [InlineData(new[] { "demo", "--speed", "3" }, "unknown option '--speed'")]
    [InlineData(new[] { "fly" }, "unknown command 'fly'")]
    [InlineData(new[] { "demo", "--duration" }, "option '--duration' needs a value")]
    [InlineData(new[] { "demo", "--duration", "-4" }, "'-4' is not a positive number of seconds")]
    [InlineData(new[] { "demo", "--duration", "soon" }, "'soon' is not a positive number of seconds")]
    [InlineData(new[] { "demo", "--out", "--duration", "3" }, "option '--out' needs a value")]
    [InlineData(new[] { "run", "--duration", "3" }, "apply to 'demo' and 'record' only")]
    public void BadArguments_AreRefused_NamingTheArgument(string[] args, string expected)
    {
        var line = AgentCommandLine.TryParse(args, out var error);

        Assert.Null(line);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
