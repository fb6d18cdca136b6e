using System.Device.Gpio;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.TestKit.Hardware;

namespace DataCentric.Edge.AotChecks;

/// <summary>The I2C IMU bindings (Iot.Device.Bindings, UnitsNet) and the GPIO input path, on the bus fakes.</summary>
internal static class SensorChecks
{
    public static async Task<string?> Mpu6050Async()
    {
        var chip = new FakeI2cDevice(1, 0x68);
        chip.SetRegisters(0x75, 0x68); // WHO_AM_I
        chip.SetInt16BigEndian(0x3B, 16384); // x = +1 g at ±2 g
        chip.SetInt16BigEndian(0x3D, -8192); // y = −0.5 g
        var bus = await RunUntilSampleAsync(new ImuSourceOptions { Binding = ImuBinding.Mpu6050, SampleHz = 100 }, chip);
        Check.Near(9.8, Latest(bus, "imu.accel_x"), 0.05, "MPU6050 accel_x (m/s²)");
        Check.Near(-4.9, Latest(bus, "imu.accel_y"), 0.05, "MPU6050 accel_y (m/s²)");
        Check.That(chip.DataWrites.All(w => ImuSource.Mpu6050ConfigurationRegisters.Contains(w.Register)), "MPU6050: a data write went to an unlisted register");
        return null;
    }

    public static async Task<string?> Bno055Async()
    {
        var chip = new FakeI2cDevice(1, 0x28);
        chip.SetRegisters(0x00, 0xA0, 0xFB, 0x32, 0x0F); // chip, accelerometer, magnetometer, gyroscope ids
        chip.SetRegisters(0x08, 0xD5, 0x03); // accelerometer x = 981 LSB = 9.81 m/s²
        var bus = await RunUntilSampleAsync(new ImuSourceOptions { Binding = ImuBinding.Bno055, SampleHz = 100 }, chip);
        Check.Near(9.81, Latest(bus, "imu.accel_x"), 0.005, "BNO055 accel_x (m/s²)");
        Check.That(chip.DataWrites.All(w => ImuSource.Bno055ConfigurationRegisters.Contains(w.Register)), "BNO055: a data write went to an unlisted register");
        return null;
    }

    public static async Task<string?> GpioAsync()
    {
        const int brakePin = 17;
        var options = new GpioSourceOptions();
        options.Inputs.Add(new GpioInputOptions { Pin = brakePin, Signal = "driver.brake_pedal", Debounce = TimeSpan.Zero });
        var driver = new FakeGpioDriver();
        var bus = NewBus();
        var source = new GpioInputSource(options, () => new GpioController(driver), new MonotonicClock(TimeProvider.System));
        using var stop = new CancellationTokenSource();
        var running = source.RunAsync(bus, stop.Token);
        await Check.UntilAsync(() => Has(bus, "driver.brake_pedal"), "the brake pedal's initial level");
        Check.Equal(0.0, Latest(bus, "driver.brake_pedal"), "brake pedal before the press");

        driver.Drive(brakePin, PinValue.High);
        await Check.UntilAsync(() => Latest(bus, "driver.brake_pedal") == 1, "the press to reach the bus");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Check.That(driver.Writes.IsEmpty, $"GPIO writes happened: {string.Join(", ", driver.Writes)}");
        Check.That(driver.ModeChanges.All(c => c.Mode != PinMode.Output), "a pin was set to output");
        return null;
    }

    private static async Task<SignalBus> RunUntilSampleAsync(ImuSourceOptions options, FakeI2cDevice chip)
    {
        var bus = NewBus();
        var source = new ImuSource(options, _ => chip, new MonotonicClock(TimeProvider.System));
        using var stop = new CancellationTokenSource();
        var running = source.RunAsync(bus, stop.Token);
        await Check.UntilAsync(() => Has(bus, "imu.accel_x"), "the first IMU sample");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        return bus;
    }

    private static SignalBus NewBus() => new(new SignalBusOptions { HistoryCapacity = 64 });

    private static bool Has(SignalBus bus, string name) => bus.TryGetId(name, out var id) && bus.TryGetLatest(id, out _);

    private static double Latest(SignalBus bus, string name)
    {
        SignalSample sample = default;
        Check.That(bus.TryGetId(name, out var id) && bus.TryGetLatest(id, out sample), $"signal {name} has no sample");
        return sample.Value.Number;
    }
}
