using System.CommandLine;
using DataCentric.Edge.Cli.Commands;
using DataCentric.Edge.Device.Inference;

namespace DataCentric.Edge.Cli;

/// <summary>The command tree. Each command group lives in its own file under Commands/.</summary>
public static class EdgectlApp
{
    /// <summary>Exit code for bad usage or invalid input, as for the agent.</summary>
    public const int UsageError = 2;

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("edgectl: steer a DataCentric.Edge fleet and pull its clips");
        root.Subcommands.Add(VersionCommand.Create(output));
        root.Subcommands.Add(DevicesCommand.Create(output, error));
        root.Subcommands.Add(TriggersCommand.Create(output, error));
        root.Subcommands.Add(EventsCommand.Create(output, error));
        root.Subcommands.Add(ClipsCommand.Create(output, error));
        root.Subcommands.Add(DrivesCommand.Create(output, error));
        root.Subcommands.Add(Commands.Datasets.DatasetCommand.Create(output, error));
        root.Subcommands.Add(ReceiveCommand.Create(output, error));
        root.Subcommands.Add(KeysCommand.Create(output, error));
        root.Subcommands.Add(ModelsCommand.Create(output, error));
        root.Subcommands.Add(ConfigCommand.Create(output, error));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // models sign/verify, backtests and exports load ONNX Runtime: its telemetry stays off.
        OnnxRuntimeTelemetry.OptOut();
        var root = Build(output, error);
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
    }
}
