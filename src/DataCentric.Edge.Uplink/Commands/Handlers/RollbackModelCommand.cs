using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Models;

namespace DataCentric.Edge.Uplink.Commands.Handlers;

/// <summary>
/// <c>rollbackModel</c>: puts the model that ran before the active release of <c>modelName</c> back
/// into service (<see cref="IModelActivator.RollBackAsync"/>), once; the release rolled back from is
/// acked <c>rolledBack</c> and not taken again when its retained copy comes back.
/// </summary>
internal sealed class RollbackModelCommand(ModelReleaseReceiver? models) : DeviceCommand<ModelRollbackResult>
{
    public override string Name => CommandNames.RollbackModel;

    protected override Task<ModelRollbackResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (models is null)
        {
            throw new CommandRefusedException("this device takes no model releases: there is nothing to roll back");
        }

        if (string.IsNullOrWhiteSpace(request.ModelName))
        {
            throw new CommandRefusedException("'modelName' is required: the model whose release to roll back");
        }

        return models.RollBackAsync(request.ModelName, cancellationToken);
    }
}
