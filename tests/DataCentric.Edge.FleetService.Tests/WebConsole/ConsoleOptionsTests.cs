using DataCentric.Edge.FleetService.WebConsole;

namespace DataCentric.Edge.FleetService.Tests.WebConsole;

public sealed class ConsoleOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new ConsoleOptionsValidator().Validate(null, new ConsoleOptions()).Succeeded);
    }

    [Fact]
    public void EveryBadValue_IsNamed_AllAtOnce()
    {
        var result = new ConsoleOptionsValidator().Validate(null, new ConsoleOptions
        {
            HeartbeatInterval = TimeSpan.Zero,
            ClientQueueCapacity = 0,
            MaxClients = 0,
            MaxViewedClipBytes = 10,
            ClipCacheBytes = 5,
        });
        Assert.Equal(
            ["Console:HeartbeatInterval", "Console:ClientQueueCapacity", "Console:MaxClients", "Console:ClipCacheBytes"],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void AViewedClipOver1GiB_IsRefused()
    {
        var result = new ConsoleOptionsValidator().Validate(null, new ConsoleOptions { MaxViewedClipBytes = (1L << 30) + 1, ClipCacheBytes = 1L << 32 });
        Assert.StartsWith("Console:MaxViewedClipBytes: ", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFfmpegPathAndAnEncodeLimitOutOfRange_AreNamed()
    {
        var result = new ConsoleOptionsValidator().Validate(null, new ConsoleOptions { FfmpegPath = " ", MaxMp4Encodes = 0 });
        Assert.Equal(
            ["Console:FfmpegPath", "Console:MaxMp4Encodes"],
            result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }
}
