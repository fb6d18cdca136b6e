using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Health;

/// <summary>
/// Looks for the device nodes the board config names (camera, GPIO chip, I2C bus) at start and
/// again every <see cref="HealthOptions.DeviceProbeInterval"/>: a missing one is reported, never
/// fatal, and a node that appears (or vanishes, e.g. an unplugged USB camera) is noticed.
/// </summary>
internal sealed class DeviceNodeProbe(
    IOptions<BoardOptions> board, IOptions<HealthOptions> health, IHealthReporter reporter, TimeProvider timeProvider) : BackgroundService
{
    /// <summary>Component name → device node, for what this board config names.</summary>
    public static IReadOnlyList<(string Component, string Device, string Hint)> ExpectedNodes(BoardOptions board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var nodes = new List<(string, string, string)>();
        if (board.CameraDevice.Length > 0)
        {
            nodes.Add(("camera", board.CameraDevice, "is the camera connected and its V4L2 driver loaded?"));
        }

        if (board.GpioChip.Length > 0)
        {
            nodes.Add(("gpio", board.GpioChip, "is the GPIO character device enabled (gpiochip) for this kernel?"));
        }

        if (board.I2cBus >= 0)
        {
            var bus = $"/dev/i2c-{board.I2cBus}";
            nodes.Add(("i2c", bus, board.Imu.Length > 0 ? $"is I2C enabled (the {board.Imu} IMU is on this bus)?" : "is I2C enabled?"));
        }

        return nodes;
    }

    /// <summary>Checks every expected node once and reports each.</summary>
    public static void ProbeOnce(BoardOptions board, IHealthReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        foreach (var (component, device, hint) in ExpectedNodes(board))
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (ExpectedNodes(board.Value).Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(health.Value.DeviceProbeInterval, timeProvider);
        try
        {
            do
            {
                ProbeOnce(board.Value, reporter);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
