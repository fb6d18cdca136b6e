using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Signals;

[Trait("Category", "Unit")]
public sealed class SignalAlignerTests
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMilliseconds(100);

    private static (SignalBus Bus, SignalId Id) BusWith(params double[] millisecondsAndValues)
    {
        var bus = new SignalBus(new SignalBusOptions { HistoryCapacity = 8 });
        var id = bus.Register("primary.steer", SignalKind.Number);
        for (var i = 0; i < millisecondsAndValues.Length; i += 2)
        {
            bus.Publish(id, SignalValue.FromNumber(millisecondsAndValues[i + 1]), TimeSpan.FromMilliseconds(millisecondsAndValues[i]));
        }

        return (bus, id);
    }

    [Fact]
    public void Frame_TakesTheNewestSampleAtOrBeforeIt_NeverOneFromItsFuture()
    {
        var (bus, id) = BusWith(0, 1, 40, 2, 80, 3, 120, 4);

        var aligned = SignalAligner.At(bus, id, TimeSpan.FromMilliseconds(100), MaxSkew);

        Assert.Equal(Alignment.Fresh, aligned.Alignment);
        Assert.Equal(3, aligned.Sample.Value.Number);
        Assert.Equal(TimeSpan.FromMilliseconds(20), aligned.Skew);
        Assert.Equal(4, SignalAligner.At(bus, id, TimeSpan.FromMilliseconds(120), MaxSkew).Sample.Value.Number);
    }

    [Fact]
    public void ValueOlderThanTheMaxSkew_IsMarkedStale_NotSilentlyUsed()
    {
        var (bus, id) = BusWith(0, 1, 40, 2);

        var aligned = SignalAligner.At(bus, id, TimeSpan.FromMilliseconds(500), MaxSkew);

        Assert.Equal(Alignment.Stale, aligned.Alignment);
        Assert.False(aligned.IsFresh);
        Assert.Equal(2, aligned.Sample.Value.Number);
        Assert.Equal(TimeSpan.FromMilliseconds(460), aligned.Skew);
        Assert.Equal(Alignment.Fresh, SignalAligner.At(bus, id, TimeSpan.FromMilliseconds(140), MaxSkew).Alignment);
    }

    [Fact]
    public void FrameBeforeTheFirstSample_IsMissing()
    {
        var (bus, id) = BusWith(50, 1);

        Assert.Equal(Alignment.Missing, SignalAligner.At(bus, id, TimeSpan.FromMilliseconds(49), MaxSkew).Alignment);
        Assert.Equal(Alignment.Missing, SignalAligner.At(BusWith().Bus, BusWith().Id, TimeSpan.FromSeconds(1), MaxSkew).Alignment);
    }

    [Fact]
    public void OnlyTheBoundedHistoryIsSearched_AndALookupAllocatesNothing()
    {
        var (bus, id) = BusWith(0, 1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80, 9, 90, 10);
        // The capacity is 8: samples at 0 and 10 ms are gone, so a frame at 15 ms finds nothing before it.
        Assert.Equal(Alignment.Missing, SignalAligner.At(bus, id, TimeSpan.FromMilliseconds(15), MaxSkew).Alignment);
        Assert.Equal(9, SignalAligner.At(bus, id, TimeSpan.FromMilliseconds(85), MaxSkew).Sample.Value.Number);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            SignalAligner.At(bus, id, TimeSpan.FromMilliseconds(85), MaxSkew);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
