using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Tests.Signals;

[Trait("Category", "Unit")]
public sealed class SignalTapTests
{
    [Fact]
    public void ClosedTap_GetsNothingMore_WhileTheOthersStillDo()
    {
        var bus = new SignalBus(new SignalBusOptions());
        var id = bus.Register("primary.brake", SignalKind.Bool);
        var drive = bus.OpenTap(capacity: 16);
        var recorder = bus.OpenTap(capacity: 16);
        bus.Publish(id, SignalValue.FromBool(true), TimeSpan.FromMilliseconds(1));

        bus.CloseTap(drive);
        bus.Publish(id, SignalValue.FromBool(false), TimeSpan.FromMilliseconds(2));

        Assert.True(drive.Reader.TryRead(out var first));
        Assert.Equal(TimeSpan.FromMilliseconds(1), first.Sample.Time);
        Assert.False(drive.Reader.TryRead(out _));
        Assert.Equal(2, Drain(recorder));
    }

    private static int Drain(SignalTap tap)
    {
        var count = 0;
        while (tap.Reader.TryRead(out _))
        {
            count++;
        }

        return count;
    }
}
