using DataCentric.Edge.Uplink.Upload;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Uplink.Tests.Upload;

[Trait("Category", "Unit")]
public sealed class BandwidthLimiterTests
{
    [Fact]
    public async Task WithinTheFirstSecondsBudget_SendsAtOnce_ThenWaitsForTheRefill()
    {
        var time = new FakeTimeProvider();
        var limiter = new BandwidthLimiter(100_000, time);

        await limiter.WaitAsync(60_000, TestContext.Current.CancellationToken);
        await limiter.WaitAsync(40_000, TestContext.Current.CancellationToken);
        var third = limiter.WaitAsync(50_000, TestContext.Current.CancellationToken).AsTask();

        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await third.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AChunkLargerThanOneSecondOfBudget_StillGoes_AfterItsShareOfTime()
    {
        var time = new FakeTimeProvider();
        var limiter = new BandwidthLimiter(10_000, time);
        await limiter.WaitAsync(10_000, TestContext.Current.CancellationToken);

        var big = limiter.WaitAsync(30_000, TestContext.Current.CancellationToken).AsTask();

        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(big.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await big.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Unlimited_NeverWaits()
    {
        var limiter = new BandwidthLimiter(0, new FakeTimeProvider());

        var wait = limiter.WaitAsync(int.MaxValue, TestContext.Current.CancellationToken);

        Assert.True(wait.IsCompleted);
        await wait;
    }
}
