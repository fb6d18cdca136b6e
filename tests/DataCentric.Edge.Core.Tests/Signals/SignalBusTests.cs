using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Core.Tests.Signals;

[Trait("Category", "Unit")]
public sealed class SignalBusTests
{
    private readonly SignalBus _bus = new(new SignalBusOptions { HistoryCapacity = 4 });

    [Fact]
    public void Register_SameNameAndKind_ReturnsSameId()
    {
        var first = _bus.Register("shadow.score", SignalKind.Number);
        var second = _bus.Register("shadow.score", SignalKind.Number);

        Assert.Equal(first, second);
        Assert.Single(_bus.Describe());
    }

    [Fact]
    public void Register_SameNameOtherKind_Throws()
    {
        _bus.Register("primary.brake", SignalKind.Bool);

        var error = Assert.Throws<InvalidOperationException>(() => _bus.Register("primary.brake", SignalKind.Number));
        Assert.Contains("primary.brake", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_WrongKind_IsRefusedAndKeepsLastValue()
    {
        var id = _bus.Register("primary.brake", SignalKind.Bool);
        _bus.Publish(id, SignalValue.FromBool(true), TimeSpan.FromSeconds(1));

        Assert.Throws<ArgumentException>(() => _bus.Publish(id, SignalValue.FromNumber(3), TimeSpan.FromSeconds(2)));

        Assert.True(_bus.TryGetLatest(id, out var latest));
        Assert.True(latest.Value.AsBool);
        Assert.Equal(TimeSpan.FromSeconds(1), latest.Time);
    }

    [Fact]
    public void History_IsBoundedAndOldestFirst()
    {
        var id = _bus.Register("speed", SignalKind.Number);
        for (var i = 0; i < 10; i++)
        {
            _bus.Publish(id, SignalValue.FromNumber(i), TimeSpan.FromMilliseconds(i));
        }

        var buffer = new SignalSample[8];
        var count = _bus.CopyHistory(id, buffer);

        Assert.Equal(4, count);
        Assert.Equal([6d, 7d, 8d, 9d], buffer[..count].Select(s => s.Value.Number));
    }

    [Fact]
    public void TryGetLatest_NeverPublished_ReturnsFalse()
    {
        var id = _bus.Register("imu.ax", SignalKind.Number);

        Assert.False(_bus.TryGetLatest(id, out _));
    }

    [Fact]
    public void Tap_WhenReaderIsBehind_DropsOldestAndCounts()
    {
        var id = _bus.Register("speed", SignalKind.Number);
        var tap = _bus.OpenTap(capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            _bus.Publish(id, SignalValue.FromNumber(i), TimeSpan.FromMilliseconds(i));
        }

        var received = new List<double>();
        while (tap.Reader.TryRead(out var update))
        {
            received.Add(update.Sample.Value.Number);
        }

        Assert.Equal([2d, 3d, 4d], received);
        Assert.Equal(2, tap.Dropped);
    }

    [Fact]
    public async Task TryGetLatest_UnderConcurrentPublishing_NeverReturnsATornSample()
    {
        // Value and time are published together as i and i ms: a torn read would pair them wrongly.
        var id = _bus.Register("speed", SignalKind.Number);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(
            () =>
            {
                for (var i = 1; !stop.IsCancellationRequested; i++)
                {
                    _bus.Publish(id, SignalValue.FromNumber(i), TimeSpan.FromMilliseconds(i));
                }
            },
            TestContext.Current.CancellationToken);

        var reads = 0;
        while (reads < 200_000)
        {
            if (_bus.TryGetLatest(id, out var sample))
            {
                Assert.Equal(sample.Value.Number, sample.Time.TotalMilliseconds);
                reads++;
            }
        }

        await stop.CancelAsync();
        await writer;
    }
}
