using System.CommandLine;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl models rollback --device D --name N</c>: the <c>rollbackModel</c> command, over the command request/response channel.</summary>
internal static class ModelsRollbackCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var device = new Option<string>("--device") { Description = "Device id", Required = true };
        var name = new Option<string>("--name") { Description = "Model name (the Inference:Models entry)", Required = true };
        var rollback = new Command("rollback", "Put a device back on the model it ran before the active release of --name");
        broker.AddTo(rollback);
        rollback.Options.Add(device);
        rollback.Options.Add(name);
        rollback.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var deviceId = parse.GetValue(device)!;
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var reply = await session.AskAsync(deviceId, new CommandRequest(CommandNames.RollbackModel) { ModelName = parse.GetValue(name) }, cancellationToken).ConfigureAwait(false);
            var result = reply.Result!.Value.Deserialize(UplinkJson.TypeInfo<ModelRollbackResult>())!;
            var running = result.ActiveVersion == 0 ? "the configured model file" : $"version {result.ActiveVersion}";
            await output.WriteLineAsync(result.RolledBack
                ? $"{deviceId}: model '{result.ModelName}' rolled back; {running} runs"
                : $"{deviceId}: model '{result.ModelName}' not rolled back ({result.Message}); {running} runs").ConfigureAwait(false);
            return result.RolledBack ? 0 : CommandRunner.Failed;
        }));
        return rollback;
    }
}
