using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Sources.Sensors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Health;

/// <summary>
/// Looks for the device nodes the configured sources open (Sources:Camera V4L2, Sources:Gpio,
/// Sources:Imu) at start and again every <see cref="HealthOptions.DeviceProbeInterval"/>: a missing
/// one is reported, never fatal, and a node that appears (or vanishes, e.g. an unplugged USB
/// camera) is noticed. The sources say what to read; this only says whether it is there.
/// </summary>
internal sealed class DeviceNodeProbe(
    IOptions<CameraSourceOptions> camera, IOptions<GpioSourceOptions> gpio, IOptions<ImuSourceOptions> imu,
    IOptions<HealthOptions> health, IHealthReporter reporter, TimeProvider timeProvider) : BackgroundService
{
    /// <summary>Component name → device node, for the sources configured; <paramref name="devRoot"/> is /dev except in tests.</summary>
    public static IReadOnlyList<(string Component, string Device, string Hint)> ExpectedNodes(
        CameraSourceOptions camera, GpioSourceOptions gpio, ImuSourceOptions imu, string devRoot = "/dev")
    {
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentNullException.ThrowIfNull(gpio);
        ArgumentNullException.ThrowIfNull(imu);
        var nodes = new List<(string, string, string)>();
        if (camera.Kind == FrameSourceKind.V4l2)
        {
            nodes.Add(("camera", $"{devRoot}/video{camera.V4l2BusId}", "is the camera connected and its V4L2 driver loaded?"));
        }

        // System.Device.Gpio's default controller opens the first chip.
        if (gpio.Inputs.Count > 0)
        {
            nodes.Add(("gpio", $"{devRoot}/gpiochip0", "is the GPIO character device enabled (gpiochip) for this kernel?"));
        }

        if (imu.Binding != ImuBinding.None)
        {
            nodes.Add(("i2c", $"{devRoot}/i2c-{imu.BusId}", $"is I2C enabled (the {imu.Binding} IMU is on this bus)?"));
        }

        return nodes;
    }

    /// <summary>Checks every expected node once and reports each.</summary>
    public static void ProbeOnce(IReadOnlyList<(string Component, string Device, string Hint)> nodes, IHealthReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(reporter);
        foreach (var (component, device, hint) in nodes)
        {
            if (File.Exists(device))
            {
                reporter.Report(component, device, ComponentState.Ok, "device node present");
            }
            else
            {
                reporter.Report(component, device, ComponentState.Missing, $"no device node {device} ({hint}); running without it and looking again");
            }
        }
    }

    /// <summary>Where device nodes live; a temporary directory in tests.</summary>
    internal string DevRoot { get; init; } = "/dev";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nodes = ExpectedNodes(camera.Value, gpio.Value, imu.Value, DevRoot);
        if (nodes.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(health.Value.DeviceProbeInterval, timeProvider);
        try
        {
            do
            {
                ProbeOnce(nodes, reporter);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
