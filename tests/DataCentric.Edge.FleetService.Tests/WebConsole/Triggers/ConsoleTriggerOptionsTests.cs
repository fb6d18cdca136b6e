using DataCentric.Edge.FleetService.WebConsole.Triggers;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Triggers;

public sealed class ConsoleTriggerOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new ConsoleTriggerOptionsValidator().Validate(null, new ConsoleTriggerOptions()).Succeeded);
    }

    [Fact]
    public void EveryBadValue_IsNamed_AllAtOnce()
    {
        var result = new ConsoleTriggerOptionsValidator().Validate(null, new ConsoleTriggerOptions
        {
            BoardSignalsDirectory = "/no/such/boards",
            BacktestQueueCapacity = 0,
            MaxBacktestClips = 0,
            MaxProposals = 0,
        });
        Assert.Equal(
            ["ConsoleTriggers:BoardSignalsDirectory", "ConsoleTriggers:BacktestQueueCapacity", "ConsoleTriggers:MaxBacktestClips", "ConsoleTriggers:MaxProposals"],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }
}
