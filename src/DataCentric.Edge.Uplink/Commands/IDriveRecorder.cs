using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Commands;

/// <summary>Records the next stretch of the device's signals (and frames) as a drive, for <c>recordDrive</c>.</summary>
public interface IDriveRecorder
{
    /// <summary>Starts a recording of <paramref name="duration"/> from now and returns at once.</summary>
    /// <exception cref="DriveRefusedException">The duration is out of range, a drive is already recording, or the disk budget has no room.</exception>
    DriveRecordingResult Start(TimeSpan duration, bool keepFrames);
}

/// <summary>
/// A drive recording that cannot start as asked (bad duration, one already running, no disk budget left).
/// Policy: nothing is written; the message says why and what limit applied.
/// </summary>
public sealed class DriveRefusedException : Exception
{
    public DriveRefusedException()
    {
    }

    public DriveRefusedException(string message)
        : base(message)
    {
    }

    public DriveRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
