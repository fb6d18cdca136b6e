using System.Device.I2c;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.TestKit.Hardware;

namespace DataCentric.Edge.Device.Tests.Sources.Sensors;

[Trait("Category", "Unit")]
public sealed class ImuSourceTests
{
    [Fact]
    public async Task Mpu6050_RegistersBecomeImuSignals()
    {
        var rig = new SourceRig();
        var chip = new FakeI2cDevice(1, 0x68);
        chip.SetRegisters(0x75, 0x68); // WHO_AM_I

        // ±2 g range: 16384 LSB per g. x = +1 g, y = −0.5 g, z = 0.
        chip.SetInt16BigEndian(0x3B, 16384);
        chip.SetInt16BigEndian(0x3D, -8192);
        var source = new ImuSource(new ImuSourceOptions { Binding = ImuBinding.Mpu6050, SampleHz = 100 }, _ => chip, rig.Clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = source.RunAsync(rig.Bus, stop.Token);

        await SourceRig.UntilAsync(() => rig.HasSample("imu.accel_x"), "the first IMU sample");
        Assert.Equal(9.8, rig.Latest("imu.accel_x").Value.Number, 1);
        Assert.Equal(-4.9, rig.Latest("imu.accel_y").Value.Number, 1);
        Assert.Equal(0, rig.Latest("imu.gyro_z").Value.Number);

        // Every data write the binding made went to a listed configuration register during construction.
        Assert.NotEmpty(chip.DataWrites);
        Assert.All(chip.DataWrites, w => Assert.Contains(w.Register, ImuSource.Mpu6050ConfigurationRegisters));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Bno055_IsConfiguredThroughTheWrapper_AndReadsAccelerometer()
    {
        var rig = new SourceRig();
        var chip = new FakeI2cDevice(1, 0x28);
        chip.SetRegisters(0x00, 0xA0, 0xFB, 0x32, 0x0F); // chip, accelerometer, magnetometer, gyroscope ids

        // Accelerometer data, little-endian, 100 LSB per m/s²: x = 9.81.
        chip.SetRegisters(0x08, 0xD5, 0x03);
        var source = new ImuSource(new ImuSourceOptions { Binding = ImuBinding.Bno055, SampleHz = 100 }, _ => chip, rig.Clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = source.RunAsync(rig.Bus, stop.Token);

        await SourceRig.UntilAsync(() => rig.HasSample("imu.accel_x"), "the first IMU sample");
        Assert.Equal(9.81, rig.Latest("imu.accel_x").Value.Number, 2);
        Assert.All(chip.DataWrites, w => Assert.Contains(w.Register, ImuSource.Bno055ConfigurationRegisters));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Wrapper_AllowsRegisterReads_AndRefusesDataWritesOnceConfigured()
    {
        var chip = new FakeI2cDevice(1, 0x68);
        chip.SetRegisters(0x3B, 0x12, 0x34);
        using var device = new RegisterReadI2cDevice(chip, new HashSet<byte> { 0x6B });
        var two = new byte[2];

        device.WriteRead([0x3B], two);
        Assert.Equal([0x12, 0x34], two);
        device.Write([0x3B]);

        device.BeginConfiguration();
        device.Write([0x6B, 0x01]);
        var unlisted = Assert.Throws<PassiveWriteRefusedException>(() => device.Write([0x1C, 0x18]));
        Assert.Contains("register 0x1C", unlisted.Message, StringComparison.Ordinal);
        device.EndConfiguration();

        var after = Assert.Throws<PassiveWriteRefusedException>(() => device.Write([0x6B, 0x80]));
        Assert.Contains("only register reads", after.Message, StringComparison.Ordinal);
        Assert.Throws<PassiveWriteRefusedException>(() => device.WriteRead([0x6B, 0x00], two));
        Assert.Equal(3, device.RefusedWrites);

        // Only the one allowed configuration write reached the chip.
        Assert.Equal([(byte)0x6B], chip.DataWrites.Select(w => w.Register));
        Assert.Equal(0x01, chip.Register(0x6B));
    }

    [Fact]
    public async Task MissingI2cBus_FailsWithTheBusInTheMessage()
    {
        var rig = new SourceRig();
        var source = new ImuSource(
            new ImuSourceOptions { Binding = ImuBinding.Mpu6050, BusId = 9 },
            settings => throw new IOException($"Error 2 performing I2C data transfer: /dev/i2c-{settings.BusId} not found"),
            rig.Clock);

        var e = await Assert.ThrowsAsync<IOException>(() => source.RunAsync(rig.Bus, TestContext.Current.CancellationToken));
        Assert.Contains("/dev/i2c-9", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A real MPU6050 on /dev/i2c-1.</summary>
    [Fact]
    [Trait("Category", "Hardware")]
    public async Task RealMpu6050_ReadsGravity()
    {
        var rig = new SourceRig();
        var source = new ImuSource(new ImuSourceOptions { Binding = ImuBinding.Mpu6050 }, I2cDevice.Create, new Core.Signals.MonotonicClock(TimeProvider.System));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = source.RunAsync(rig.Bus, stop.Token);
        await SourceRig.UntilAsync(() => rig.HasSample("imu.accel_z"), "a sample from the MPU6050");
        var x = rig.Latest("imu.accel_x").Value.Number;
        var y = rig.Latest("imu.accel_y").Value.Number;
        var z = rig.Latest("imu.accel_z").Value.Number;
        Assert.InRange(Math.Sqrt((x * x) + (y * y) + (z * z)), 8.0, 11.6);
        await stop.CancelAsync();
        await running;
    }
}
