using System.Globalization;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary>
/// <c>recordDrive</c>: records the next <c>minutes</c> of the device's signals (and frames, with
/// <c>frames: true</c>) as a drive for backtesting, within the device's disk budget. Answers when the
/// recording has started; a device without a drive recorder refuses.
/// </summary>
internal sealed class RecordDriveCommand(IDriveRecorder? drives) : DeviceCommand<DriveRecordingResult>
{
    public override string Name => CommandNames.RecordDrive;

    protected override Task<DriveRecordingResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (drives is null)
        {
            throw new CommandRefusedException("this device does not record drives");
        }

        if (request.Minutes is not { } minutes || !double.IsFinite(minutes) || minutes <= 0)
        {
            throw new CommandRefusedException(request.Minutes is null
                ? "'minutes' is required"
                : string.Create(CultureInfo.InvariantCulture, $"'minutes' must be a positive number, not {request.Minutes}"));
        }

        try
        {
            return Task.FromResult(drives.Start(TimeSpan.FromMinutes(Math.Min(minutes, TimeSpan.MaxValue.TotalMinutes / 2)), request.Frames ?? false));
        }
        catch (DriveRefusedException e)
        {
            throw new CommandRefusedException(e.Message, e);
        }
    }
}
