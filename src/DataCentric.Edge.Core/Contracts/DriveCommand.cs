namespace DataCentric.Edge.Core.Contracts;

public static partial class CommandNames
{
    /// <summary>Record the next N minutes as a drive on the device (request: <c>minutes</c>, optional <c>frames</c>).</summary>
    public const string RecordDrive = "recordDrive";
}

/// <summary>A drive recording the device started: where the file will be and the wall-clock span it covers.</summary>
/// <param name="Path">On the device; written as <c>.mcap.tmp</c> and renamed to this when the recording ends.</param>
/// <param name="BudgetBytes">The most the file may grow to (disk budget and free space); the recording stops there, saying so in the drive.</param>
public sealed record DriveRecordingResult(string DriveId, string Path, DateTimeOffset From, DateTimeOffset To, bool Frames, long BudgetBytes);
