using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Agent.Tests.Health;

[Trait("Category", "Unit")]
public sealed class LatencyWindowTests
{
    [Fact]
    public void Percentiles_AreNearestRank_OverTheWindow()
    {
        var window = new LatencyWindow(100);
        for (var ms = 100; ms >= 1; ms--)
        {
            window.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(0.050, window.Percentile(0.5)!.Value, 6);
        Assert.Equal(0.099, window.Percentile(0.99)!.Value, 6);
        Assert.Equal(0.100, window.Percentile(1)!.Value, 6);
    }

    [Fact]
    public void OldSamples_RollOut_SoMemoryStaysBounded()
    {
        var window = new LatencyWindow(4);
        foreach (var ms in new[] { 900, 900, 900, 900, 1, 2, 3, 4 })
        {
            window.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(8, window.Recorded);
        Assert.Equal(0.004, window.Percentile(0.99)!.Value, 6);
    }

    [Fact]
    public void EmptyWindow_HasNoPercentile()
    {
        Assert.Null(new LatencyWindow(8).Percentile(0.5));
    }
}
