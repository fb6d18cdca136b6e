using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Device.Board;

/// <summary>
/// Which board a config is for: the agent refuses a config written for another board. The
/// hardware itself is configured where it is read (Sources:Camera, Sources:Gpio, Sources:Imu).
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
}
