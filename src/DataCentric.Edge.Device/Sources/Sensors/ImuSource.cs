using System.Device.I2c;
using System.Numerics;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;
using Iot.Device.Bno055;
using Iot.Device.Imu;

namespace DataCentric.Edge.Device.Sources.Sensors;

/// <summary>
/// An I2C IMU read through an Iot.Device.Bindings binding (MPU6050 or BNO055) and published as
/// <c>imu.accel_x/y/z</c> (m/s²) and <c>imu.gyro_x/y/z</c> (°/s). The binding talks to the bus only
/// through <see cref="RegisterReadI2cDevice"/>, so after its constructor has configured the chip,
/// every data write is refused.
/// </summary>
public sealed class ImuSource(ImuSourceOptions options, Func<I2cConnectionSettings, I2cDevice> openDevice, MonotonicClock clock) : ISignalSource
{
    /// <summary>What the MPU6050 binding's constructor writes: PWR_MGMT_1, CONFIG, GYRO_CONFIG, ACCEL_CONFIG, ACCEL_CONFIG_2 (checked against the binding with the register fake).</summary>
    public static readonly IReadOnlySet<byte> Mpu6050ConfigurationRegisters = new HashSet<byte> { 0x6B, 0x1A, 0x1B, 0x1C, 0x1D };

    /// <summary>
    /// What the BNO055 binding's constructor writes: PAGE_ID 0x07, OPR_MODE 0x3D, UNIT_SEL 0x3B,
    /// TEMP_SOURCE 0x40, PWR_MODE 0x3E, AXIS_MAP_CONFIG/SIGN 0x41, and the calibration offsets from
    /// 0x55 (the binding zeroes them: the sensor recalibrates itself after every start).
    /// </summary>
    public static readonly IReadOnlySet<byte> Bno055ConfigurationRegisters = new HashSet<byte> { 0x07, 0x3D, 0x3B, 0x40, 0x3E, 0x41, 0x55 };

    private SignalId[] _ids = [];

    public string Name => $"imu:{options.Binding}@i2c-{options.BusId}";

    public void Register(SignalBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        string[] axes = ["accel_x", "accel_y", "accel_z", "gyro_x", "gyro_y", "gyro_z"];
        _ids = [.. axes.Select(a => bus.Register($"{options.SignalPrefix}.{a}", SignalKind.Number))];
    }

    public async Task RunAsync(SignalBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(openDevice);
        Register(bus);
        using var imu = Open();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / options.SampleHz), clock.TimeProvider);
        try
        {
            do
            {
                var (accel, gyro) = imu.Read();
                var now = clock.Now;
                Publish(bus, accel, gyro, now);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    private void Publish(SignalBus bus, Vector3 accel, Vector3 gyro, TimeSpan now)
    {
        bus.Publish(_ids[0], SignalValue.FromNumber(accel.X), now);
        bus.Publish(_ids[1], SignalValue.FromNumber(accel.Y), now);
        bus.Publish(_ids[2], SignalValue.FromNumber(accel.Z), now);
        bus.Publish(_ids[3], SignalValue.FromNumber(gyro.X), now);
        bus.Publish(_ids[4], SignalValue.FromNumber(gyro.Y), now);
        bus.Publish(_ids[5], SignalValue.FromNumber(gyro.Z), now);
    }

    private ImuReader Open()
    {
        var (address, registers) = options.Binding switch
        {
            ImuBinding.Mpu6050 => (options.Address == 0 ? Mpu6050.DefaultI2cAddress : options.Address, Mpu6050ConfigurationRegisters),
            ImuBinding.Bno055 => (options.Address == 0 ? Bno055Sensor.DefaultI2cAddress : options.Address, Bno055ConfigurationRegisters),
            _ => throw new InvalidOperationException($"No IMU binding is configured ({ImuSourceOptions.SectionName}:{nameof(ImuSourceOptions.Binding)})."),
        };
        var device = new RegisterReadI2cDevice(openDevice(new I2cConnectionSettings(options.BusId, address)), registers);
        try
        {
            device.BeginConfiguration();
            ImuReader reader = options.Binding == ImuBinding.Mpu6050
                ? new Mpu6050Reader(new Mpu6050(device))
                : new Bno055Reader(new Bno055Sensor(device, OperationMode.AccelerometerMagnetometerGyroscopeRelativeOrientation, shouldDispose: true));
            device.EndConfiguration();
            return reader;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private abstract class ImuReader : IDisposable
    {
        /// <summary>Acceleration in m/s², angular rate in °/s.</summary>
        public abstract (Vector3 Accel, Vector3 Gyro) Read();

        public abstract void Dispose();
    }

    private sealed class Mpu6050Reader(Mpu6050 sensor) : ImuReader
    {
        public override (Vector3 Accel, Vector3 Gyro) Read() => (sensor.GetAccelerometer(), sensor.GetGyroscopeReading());

        public override void Dispose() => sensor.Dispose();
    }

    private sealed class Bno055Reader(Bno055Sensor sensor) : ImuReader
    {
        public override (Vector3 Accel, Vector3 Gyro) Read() => (sensor.Accelerometer, sensor.Gyroscope);

        public override void Dispose() => sensor.Dispose();
    }
}
