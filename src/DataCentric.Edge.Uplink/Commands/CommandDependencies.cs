using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Commands;

/// <summary>What the device's commands work on; <see cref="DeviceCommandList"/> hands each command its part.</summary>
public sealed record CommandDependencies(
    DeviceConnection Connection, IClipCatalog Catalog, UploadRequests Uploads, CommandOptions Options, TimeProvider TimeProvider)
{
    /// <summary>The active trigger set: its version for <c>ping</c>, its rollback for <c>rollbackTriggers</c>. None: version 0, nothing to roll back.</summary>
    public ActiveTriggerSet? TriggerSets { get; init; }

    /// <summary>Cuts what no stored clip covers from the recorder's ring for <c>pullWindow</c>. None: only stored clips are pulled.</summary>
    public IRecentWindowRecorder? RecentWindows { get; init; }

    /// <summary>Records drives for <c>recordDrive</c>. None: the command is refused.</summary>
    public IDriveRecorder? Drives { get; init; }

    /// <summary>The cap on pinned bytes for <c>pin</c>. None: pins are not capped.</summary>
    public IPinBudget? Pins { get; init; }

    /// <summary>Model releases, for <c>rollbackModel</c>. None: the command is refused.</summary>
    public ModelReleaseReceiver? Models { get; init; }
}
