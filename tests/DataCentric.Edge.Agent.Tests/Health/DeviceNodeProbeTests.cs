using DataCentric.Edge.Agent.Health;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Agent.Tests.Health;

[Trait("Category", "Unit")]
public sealed class DeviceNodeProbeTests
{
    [Fact]
    public void MissingNodes_AreEachReported_WithTheirPath()
    {
        using var dev = new TempDirectory("dce-probe");
        var nodes = DeviceNodeProbe.ExpectedNodes(V4l2(0), OneGpioInput(), Mpu6050(bus: 250), dev.Path);
        var registry = Registry(out var log);

        DeviceNodeProbe.ProbeOnce(nodes, registry);

        var statuses = registry.Current.ToDictionary(s => s.Component);
        Assert.Equal(ComponentState.Missing, statuses["camera"].State);
        Assert.Equal(dev.Combine("video0"), statuses["camera"].Device);
        Assert.Contains($"no device node {dev.Combine("video0")}", statuses["camera"].Detail, StringComparison.Ordinal);
        Assert.Equal((ComponentState.Missing, dev.Combine("gpiochip0")), (statuses["gpio"].State, statuses["gpio"].Device));
        Assert.Equal(dev.Combine("i2c-250"), statuses["i2c"].Device);
        Assert.Contains("Mpu6050", statuses["i2c"].Detail, StringComparison.Ordinal);
        Assert.Equal(3, log.Count(l => l.Contains("Missing", StringComparison.Ordinal)));
    }

    [Fact]
    public void NodeThatAppears_IsReportedOk_AndAFaultIsLoggedOnlyOnce()
    {
        using var dev = new TempDirectory("dce-probe");
        var nodes = DeviceNodeProbe.ExpectedNodes(V4l2(2), new GpioSourceOptions(), new ImuSourceOptions(), dev.Path);
        var registry = Registry(out var log);

        DeviceNodeProbe.ProbeOnce(nodes, registry);
        DeviceNodeProbe.ProbeOnce(nodes, registry);
        File.WriteAllBytes(dev.Combine("video2"), []);
        DeviceNodeProbe.ProbeOnce(nodes, registry);

        Assert.Equal(ComponentState.Ok, Assert.Single(registry.Current).State);
        Assert.Single(log, l => l.Contains("Missing", StringComparison.Ordinal));
        Assert.Single(log, l => l.Contains("ok at", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probe_LooksAgainEveryInterval_AndSeesTheNodeAppear()
    {
        using var dev = new TempDirectory("dce-probe");
        var time = new FakeTimeProvider();
        var registry = new ComponentHealthRegistry(time, new ListLogger<ComponentHealthRegistry>([]));
        using var probe = new DeviceNodeProbe(
            Options.Create(V4l2(0)), Options.Create(new GpioSourceOptions()), Options.Create(new ImuSourceOptions()),
            Options.Create(new HealthOptions { DeviceProbeInterval = TimeSpan.FromSeconds(10) }), registry, time)
        {
            DevRoot = dev.Path,
        };
        var ct = TestContext.Current.CancellationToken;

        await probe.StartAsync(ct);
        await UntilAsync(() => registry.Current.Any(s => s.State == ComponentState.Missing), ct);
        File.WriteAllBytes(dev.Combine("video0"), []);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(ComponentState.Missing, Assert.Single(registry.Current).State);
        time.Advance(TimeSpan.FromSeconds(1));
        await UntilAsync(() => registry.Current.Single().State == ComponentState.Ok, ct);
        await probe.StopAsync(ct);
    }

    [Fact]
    public void NoHardwareSources_ExpectNothing()
    {
        Assert.Empty(DeviceNodeProbe.ExpectedNodes(new CameraSourceOptions(), new GpioSourceOptions(), new ImuSourceOptions()));
        Assert.Empty(DeviceNodeProbe.ExpectedNodes(new CameraSourceOptions { Kind = FrameSourceKind.VideoFile, Path = "drive.mp4" }, new GpioSourceOptions(), new ImuSourceOptions()));
    }

    // The probe runs on its own thread and has no completion signal: poll with a bounded deadline.
    private static async Task UntilAsync(Func<bool> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 5 s");
            await Task.Delay(10, ct);
        }
    }

    private static CameraSourceOptions V4l2(int busId) => new() { Kind = FrameSourceKind.V4l2, V4l2BusId = busId };

    private static GpioSourceOptions OneGpioInput()
    {
        var gpio = new GpioSourceOptions();
        gpio.Inputs.Add(new GpioInputOptions { Pin = 17, Signal = "driver.brake_pedal" });
        return gpio;
    }

    private static ImuSourceOptions Mpu6050(int bus) => new() { Binding = ImuBinding.Mpu6050, BusId = bus };

    private static ComponentHealthRegistry Registry(out List<string> log)
    {
        log = [];
        return new ComponentHealthRegistry(new FakeTimeProvider(), new ListLogger<ComponentHealthRegistry>(log));
    }

    private sealed class ListLogger<T>(List<string> lines) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Add(formatter(state, exception));
    }
}
