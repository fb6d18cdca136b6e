using DataCentric.Edge.FleetService.WebConsole.ModelConsole;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

public sealed class ConsoleModelOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new ConsoleModelOptionsValidator().Validate(null, new ConsoleModelOptions()).Succeeded);
    }

    [Fact]
    public void EveryBadValue_IsNamed_AllAtOnce()
    {
        var result = new ConsoleModelOptionsValidator().Validate(null, new ConsoleModelOptions { UploadDirectory = " ", MaxModelBytes = 0, ProposalLifetime = TimeSpan.Zero });

        Assert.Equal(
            ["ConsoleModels:UploadDirectory", "ConsoleModels:MaxModelBytes", "ConsoleModels:ProposalLifetime"],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }
}
