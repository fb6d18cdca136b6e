using System.Device.Gpio;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.TestKit.Hardware;

namespace DataCentric.Edge.Device.Tests.Sources.Sensors;

[Trait("Category", "Unit")]
public sealed class GpioInputSourceTests
{
    private const int BrakePin = 17;
    private const int ButtonPin = 27;

    private static GpioSourceOptions Options()
    {
        var options = new GpioSourceOptions();
        options.Inputs.Add(new GpioInputOptions { Pin = BrakePin, Signal = "driver.brake_pedal", Debounce = TimeSpan.FromMilliseconds(20) });
        options.Inputs.Add(new GpioInputOptions { Pin = ButtonPin, Signal = "driver.intervention", Mode = GpioInputMode.InputPullUp, ActiveLow = true, Debounce = TimeSpan.Zero });
        return options;
    }

    private static async Task<(SourceRig Rig, FakeGpioDriver Driver, GpioInputSource Source, CancellationTokenSource Stop, Task Running)> StartAsync()
    {
        var rig = new SourceRig();
        var driver = new FakeGpioDriver();
        var source = new GpioInputSource(Options(), () => new GpioController(driver), rig.Clock);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = source.RunAsync(rig.Bus, stop.Token);
        await SourceRig.UntilAsync(() => rig.HasSample("driver.brake_pedal") && rig.HasSample("driver.intervention"), "the initial levels");
        return (rig, driver, source, stop, running);
    }

    [Fact]
    public async Task Pins_AreOpenedInInputModesOnly_AndNothingIsWritten()
    {
        var (rig, driver, _, stop, running) = await StartAsync();
        driver.Drive(BrakePin, PinValue.High);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Empty(driver.Writes);
        Assert.Contains((BrakePin, PinMode.Input), driver.ModeChanges);
        Assert.Contains((ButtonPin, PinMode.InputPullUp), driver.ModeChanges);
        Assert.All(driver.ModeChanges, change => Assert.NotEqual(PinMode.Output, change.Mode));
        Assert.True(rig.Latest("driver.brake_pedal").Value.AsBool);
        stop.Dispose();
    }

    [Fact]
    public async Task InitialLevels_ArePublished_WithActiveLowApplied()
    {
        var (rig, _, _, stop, running) = await StartAsync();

        // The button's pull-up holds the line high: not pressed.
        Assert.False(rig.Latest("driver.intervention").Value.AsBool);
        Assert.False(rig.Latest("driver.brake_pedal").Value.AsBool);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        stop.Dispose();
    }

    [Fact]
    public async Task ContactBounce_WithinTheDebounceWindow_IsIgnored_AndTheSettledLevelIsPublished()
    {
        var (rig, driver, source, stop, running) = await StartAsync();
        Assert.True(rig.Bus.TryGetId("driver.brake_pedal", out var id));

        // Press with bounce: high (published at once), then low and high within 20 ms (bounce).
        driver.Drive(BrakePin, PinValue.High);
        rig.Time.Advance(TimeSpan.FromMilliseconds(2));
        driver.Drive(BrakePin, PinValue.Low);
        rig.Time.Advance(TimeSpan.FromMilliseconds(2));
        driver.Drive(BrakePin, PinValue.High);
        Assert.True(rig.Latest("driver.brake_pedal").Value.AsBool);
        Assert.Equal(2, source.BouncesIgnored);

        // Release with bounce, well after the window.
        rig.Time.Advance(TimeSpan.FromMilliseconds(30));
        driver.Drive(BrakePin, PinValue.Low);
        rig.Time.Advance(TimeSpan.FromMilliseconds(2));
        driver.Drive(BrakePin, PinValue.High);
        rig.Time.Advance(TimeSpan.FromMilliseconds(2));
        driver.Drive(BrakePin, PinValue.Low);
        Assert.False(rig.Latest("driver.brake_pedal").Value.AsBool);

        // A tap shorter than the window: the release is read when the window ends, not lost.
        rig.Time.Advance(TimeSpan.FromMilliseconds(30));
        driver.Drive(BrakePin, PinValue.High);
        rig.Time.Advance(TimeSpan.FromMilliseconds(3));
        driver.Drive(BrakePin, PinValue.Low);
        Assert.True(rig.Latest("driver.brake_pedal").Value.AsBool);
        rig.Time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.False(rig.Latest("driver.brake_pedal").Value.AsBool);

        var history = new Core.Signals.SignalSample[16];
        var count = rig.Bus.CopyHistory(id, history);
        Assert.Equal([false, true, false, true, false], history[..count].Select(s => s.Value.AsBool));

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        stop.Dispose();
    }

    [Fact]
    public void InputModes_MapToInputPinModesOnly()
    {
        Assert.All(Enum.GetValues<GpioInputMode>(), mode => Assert.NotEqual(PinMode.Output, InputPins.ToPinMode(mode)));
        Assert.Throws<ArgumentOutOfRangeException>(() => InputPins.ToPinMode((GpioInputMode)42));
    }

    /// <summary>A real GPIO chip (Raspberry Pi): pin 17 opened as an input, its level published.</summary>
    [Fact]
    [Trait("Category", "Hardware")]
    public async Task RealGpioChip_PublishesTheInputLevel()
    {
        var rig = new SourceRig();
        var options = new GpioSourceOptions();
        options.Inputs.Add(new GpioInputOptions { Pin = BrakePin, Signal = "driver.brake_pedal", Mode = GpioInputMode.InputPullDown });
        var source = new GpioInputSource(options, () => new GpioController(), new Core.Signals.MonotonicClock(TimeProvider.System));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = source.RunAsync(rig.Bus, stop.Token);
        await SourceRig.UntilAsync(() => rig.HasSample("driver.brake_pedal"), "the pin's level");
        await stop.CancelAsync();
        await running;
    }
}
