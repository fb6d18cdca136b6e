using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Core.Configuration;

/// <summary>
/// Which board a config is for, and the hardware that board should have. The agent refuses a
/// config written for another board, and reports (without stopping) any device node that is absent.
/// </summary>
public sealed class BoardOptions
{
    public const string SectionName = "Board";

    /// <summary>The board this config is for; empty skips the identity check (development machines).</summary>
    [AllowedValues("", BoardIdentity.RaspberryPi4, BoardIdentity.RaspberryPi5, BoardIdentity.JetsonOrinNano, BoardIdentity.GenericX64,
        ErrorMessage = "Id must be one of raspberry-pi-4, raspberry-pi-5, jetson-orin-nano, generic-x64 (or empty to skip the board check).")]
    public string Id { get; set; } = string.Empty;

    /// <summary>Where the board names itself; an override for boards that do not use the device tree.</summary>
    [Required]
    public string ModelFile { get; set; } = "/proc/device-tree/model";

    /// <summary>V4L2 camera node; empty when the board has no camera.</summary>
    public string CameraDevice { get; set; } = string.Empty;

    /// <summary>GPIO character device of the input pins; empty when none are read.</summary>
    public string GpioChip { get; set; } = string.Empty;

    /// <summary>GPIO inputs: signal name → line offset on <see cref="GpioChip"/>. Inputs only: the agent never drives a pin.</summary>
    public IDictionary<string, int> GpioInputs { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>I2C bus number of the IMU (<c>/dev/i2c-N</c>); -1 when there is none.</summary>
    [Range(-1, 255)]
    public int I2cBus { get; set; } = -1;

    /// <summary>IMU binding (e.g. Mpu6050, Bno055, Lsm9Ds1); empty when there is none.</summary>
    [AllowedValues("", "Mpu6050", "Mpu6500", "Mpu9250", "Bno055", "Lsm9Ds1", ErrorMessage = "Imu must be one of Mpu6050, Mpu6500, Mpu9250, Bno055, Lsm9Ds1 (or empty).")]
    public string Imu { get; set; } = string.Empty;

    /// <summary>7-bit I2C address of the IMU.</summary>
    [Range(0x03, 0x77)]
    public int ImuAddress { get; set; } = 0x68;
}
