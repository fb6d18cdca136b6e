using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Uplink.Connection;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary>
/// <c>rollbackTriggers</c>: puts the device back on the trigger set before the active one, once
/// (<see cref="ActiveTriggerSet.Rollback"/>; whoever follows the set, the remote sets on disk
/// included, follows it back), then publishes the status with the version now active.
/// </summary>
internal sealed class RollbackTriggersCommand(ActiveTriggerSet? triggerSets, DeviceConnection connection) : DeviceCommand<RollbackResult>
{
    public override string Name => CommandNames.RollbackTriggers;

    protected override async Task<RollbackResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (triggerSets is null)
        {
            throw new CommandRefusedException("this device has no remote trigger sets to roll back");
        }

        var rolledBack = triggerSets.Rollback();
        if (rolledBack)
        {
            await connection.RefreshStatusAsync(cancellationToken).ConfigureAwait(false);
        }

        return new RollbackResult(rolledBack, triggerSets.Version);
    }
}
