using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Signals;

[Trait("Category", "Unit")]
public sealed class ClockOffsetEstimatorTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Offset_IsTheSmallestDifference_SoTransportDelayIsNotCountedAsClockOffset()
    {
        var estimator = new ClockOffsetEstimator(8);
        Assert.False(estimator.HasEstimate);

        // Controller clock = agent clock + 5 s; delays 12, 3, 30 ms.
        estimator.Correct(Ms(5_000), Ms(12));
        estimator.Correct(Ms(5_100), Ms(103));
        var corrected = estimator.Correct(Ms(5_200), Ms(230));

        Assert.True(estimator.HasEstimate);
        Assert.Equal(Ms(-4_997), estimator.Offset);
        Assert.Equal(Ms(203), corrected);
    }

    [Fact]
    public void CorrectedTime_IsNeverAfterTheMessageArrived()
    {
        var estimator = new ClockOffsetEstimator(4);
        estimator.Correct(Ms(1_000), Ms(10));

        // The controller's clock jumped back: the estimate lags, the stamp is capped at arrival.
        Assert.Equal(Ms(20), estimator.Correct(Ms(1_500), Ms(20)));
    }

    [Fact]
    public void TheWindow_LetsTheEstimateFollowADriftingClock()
    {
        var estimator = new ClockOffsetEstimator(3);
        estimator.Correct(Ms(0), Ms(1));
        for (var i = 1; i <= 5; i++)
        {
            // Offset grows by 10 ms per message; delay is 1 ms.
            estimator.Correct(Ms(i * 100), Ms((i * 100) + (i * 10) + 1));
        }

        // Only the last three differences (31, 41, 51 ms) are in the window.
        Assert.Equal(Ms(31), estimator.Offset);
    }
}
