using System.CommandLine;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl version</c>: the tool's version, and the MQTT contract it speaks.</summary>
internal static class VersionCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("version", "Show the edgectl version and the MQTT contract version");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
            output.WriteLine($"edgectl {version} (contract {Core.Contracts.FleetTopics.Root})");
            return 0;
        });
        return command;
    }
}
