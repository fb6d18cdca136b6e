using DataCentric.Edge.Uplink.Commands.Handlers;

namespace DataCentric.Edge.Uplink.Commands;

/// <summary>
/// The commands a device answers: the one list (explicit, for Native AOT). A new command is one
/// line here; see README.md next to this file.
/// </summary>
public static class DeviceCommandList
{
    public static IReadOnlyList<IDeviceCommand> Create(CommandDependencies dependencies)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        var d = dependencies;
        return
        [
            new PingCommand(d.Connection.Topics, d.Catalog, d.TriggerSets, d.TimeProvider),
            new ListEventsCommand(d.Catalog, d.Options),
            new ListClipsCommand(d.Catalog, d.Options),
            new PullClipCommand(d.Catalog, d.Uploads),
            new PullWindowCommand(d.Catalog, d.Uploads, d.RecentWindows, d.TimeProvider),
            new PinCommand(d.Catalog, d.Pins, pinned: true),
            new PinCommand(d.Catalog, d.Pins, pinned: false),
            new RollbackTriggersCommand(d.TriggerSets, d.Connection),
            new RecordDriveCommand(d.Drives),
            new RollbackModelCommand(d.Models),
        ];
    }
}
