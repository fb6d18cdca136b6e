using DataCentric.Edge.Agent.Health;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
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
        using var dir = new TempDirectory("dce-probe");
        var board = Board(dir.Combine("video0"), dir.Combine("gpiochip0"), i2cBus: 250);
        var registry = Registry(out var log);

        DeviceNodeProbe.ProbeOnce(board, registry);

        var statuses = registry.Current.ToDictionary(s => s.Component);
        Assert.Equal(ComponentState.Missing, statuses["camera"].State);
        Assert.Equal(dir.Combine("video0"), statuses["camera"].Device);
        Assert.Contains($"no device node {dir.Combine("video0")}", statuses["camera"].Detail, StringComparison.Ordinal);
        Assert.Equal(ComponentState.Missing, statuses["gpio"].State);
        Assert.Equal("/dev/i2c-250", statuses["i2c"].Device);
        Assert.Contains("Mpu6050", statuses["i2c"].Detail, StringComparison.Ordinal);
        Assert.Equal(3, log.Count(l => l.Contains("Missing", StringComparison.Ordinal)));
    }

    [Fact]
    public void NodeThatAppears_IsReportedOk_AndAFaultIsLoggedOnlyOnce()
    {
        using var dir = new TempDirectory("dce-probe");
        var camera = dir.Combine("video0");
        var board = Board(camera, gpioChip: string.Empty, i2cBus: -1);
        var registry = Registry(out var log);

        DeviceNodeProbe.ProbeOnce(board, registry);
        DeviceNodeProbe.ProbeOnce(board, registry);
        File.WriteAllBytes(camera, []);
        DeviceNodeProbe.ProbeOnce(board, registry);

        Assert.Equal(ComponentState.Ok, Assert.Single(registry.Current).State);
        Assert.Single(log, l => l.Contains("Missing", StringComparison.Ordinal));
        Assert.Single(log, l => l.Contains("ok at", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probe_LooksAgainEveryInterval_AndSeesTheNodeAppear()
    {
        using var dir = new TempDirectory("dce-probe");
        var camera = dir.Combine("video0");
        var time = new FakeTimeProvider();
        var registry = new ComponentHealthRegistry(time, new ListLogger<ComponentHealthRegistry>([]));
        using var probe = new DeviceNodeProbe(
            Options.Create(new BoardOptions { CameraDevice = camera }), Options.Create(new HealthOptions { DeviceProbeInterval = TimeSpan.FromSeconds(10) }), registry, time);
        var ct = TestContext.Current.CancellationToken;

        await probe.StartAsync(ct);
        await UntilAsync(() => registry.Current.Any(s => s.State == ComponentState.Missing), ct);
        File.WriteAllBytes(camera, []);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(ComponentState.Missing, Assert.Single(registry.Current).State);
        time.Advance(TimeSpan.FromSeconds(1));
        await UntilAsync(() => registry.Current.Single().State == ComponentState.Ok, ct);
        await probe.StopAsync(ct);
    }

    [Fact]
    public void BoardWithoutDevices_ExpectsNothing()
    {
        Assert.Empty(DeviceNodeProbe.ExpectedNodes(new BoardOptions()));
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

    private static BoardOptions Board(string camera, string gpioChip, int i2cBus) =>
        new() { CameraDevice = camera, GpioChip = gpioChip, I2cBus = i2cBus, Imu = "Mpu6050" };

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
