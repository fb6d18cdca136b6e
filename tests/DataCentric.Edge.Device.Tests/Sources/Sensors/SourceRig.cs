using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Sensors;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Device.Tests.Sources.Sensors;

/// <summary>A bus, a clock the test drives, and a bad-input counter whose log lines are kept.</summary>
internal sealed class SourceRig
{
    public SourceRig(TimeSpan? logInterval = null)
    {
        Clock = new MonotonicClock(Time);
        BadInput = new BadInputCounter("test", Time, logInterval ?? TimeSpan.FromSeconds(30), Log);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));

    public MonotonicClock Clock { get; }

    public SignalBus Bus { get; } = new(new SignalBusOptions { HistoryCapacity = 64 });

    public CollectingLogger<BadInputCounter> Log { get; } = new();

    public BadInputCounter BadInput { get; }

    public SignalSample Latest(string name)
    {
        Assert.True(Bus.TryGetId(name, out var id), $"signal {name} is not registered");
        Assert.True(Bus.TryGetLatest(id, out var sample), $"signal {name} has no sample");
        return sample;
    }

    public bool HasSample(string name) => Bus.TryGetId(name, out var id) && Bus.TryGetLatest(id, out _);

    /// <summary>Polls a condition with a bounded deadline, for sources that give no signal of their own.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
