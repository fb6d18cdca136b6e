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
    public void DemoConsole_WithoutDuration_RunsUntilStopped_WithDuration_ForThatLong()
    {
        var open = AgentCommandLine.TryParse(["demo", "--console"], out var error);
        var timed = AgentCommandLine.TryParse(["demo", "--console", "--duration", "20"], out _);
        var plain = AgentCommandLine.TryParse(["demo"], out _);

        Assert.Null(error);
        Assert.True(open!.StartConsole);
        Assert.Equal(Timeout.InfiniteTimeSpan, open.Duration);
        Assert.Equal(TimeSpan.FromSeconds(20), timed!.Duration);
        Assert.False(plain!.StartConsole);
        Assert.Equal(TimeSpan.FromSeconds(30), plain.Duration);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("record")]
    public void Console_OutsideTheDemo_IsRefused(string mode)
    {
        var line = AgentCommandLine.TryParse([mode, "--console"], out var error);

        Assert.Null(line);
        Assert.Equal("option '--console' applies to 'demo' only", error);
    }

    [Fact]
    public void Record_WithMinutesAndFrames_RunsOnTheConfiguredSources_IntoTheConfiguredFolder()
    {
        var line = AgentCommandLine.TryParse(["record", "--minutes", "2.5", "--frames"], out var error);

        Assert.Null(error);
        Assert.Equal(AgentMode.Record, line!.Mode);
        Assert.Equal(TimeSpan.FromMinutes(2.5), line.Duration);
        Assert.True(line.KeepFrames);
        Assert.False(line.IsDemo);
        Assert.Equal(string.Empty, line.OutputDirectory);
    }

    [Fact]
    public void RecordDemo_RunsOnTheEmbeddedDefaults_IntoDriveMcap()
    {
        var line = AgentCommandLine.TryParse(["record", "--demo", "--duration", "600"], out _);

        Assert.True(line!.IsDemo);
        Assert.Equal("drive.mcap", line.OutputDirectory);
        Assert.Equal(TimeSpan.FromMinutes(10), line.Duration);
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
    [InlineData(new[] { "demo", "--frames" }, "option '--frames' applies to 'record' only")]
    [InlineData(new[] { "run", "--minutes", "3" }, "option '--minutes' applies to 'record' only")]
    [InlineData(new[] { "record", "--minutes", "3", "--duration", "60" }, "give one")]
    [InlineData(new[] { "record", "--minutes", "0" }, "'0' is not a positive number of minutes")]
    public void BadArguments_AreRefused_NamingTheArgument(string[] args, string expected)
    {
        var line = AgentCommandLine.TryParse(args, out var error);

        Assert.Null(line);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
