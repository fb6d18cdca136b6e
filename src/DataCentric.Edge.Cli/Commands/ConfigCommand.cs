using System.CommandLine;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl config validate &lt;file&gt;</c>: the agent's own start-up check, offline, so a config is
/// known good before it reaches a board. Every error is printed with its line, column and key (an unknown key with the closest known one); exit 2 when any.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "Agent configuration (JSON), e.g. firmware-config/raspberry-pi-5/appsettings.RaspberryPi5.json" };
        var validate = new Command("validate", "Check an agent configuration file as the agent does at start") { file };
        validate.SetAction(parse => Validate(parse.GetValue(file)!, output, error));
        var schema = new Command("schema", "Print the JSON Schema of the agent configuration (firmware-config/agent-config.schema.json)");
        schema.SetAction(_ =>
        {
            output.Write(AgentConfiguration.SchemaJson());
            return 0;
        });
        return new Command("config", "Agent configuration files") { validate, schema };
    }

    private static int Validate(FileInfo file, TextWriter output, TextWriter error)
    {
        IConfiguration configuration;
        JsonKeyPositions positions;
        try
        {
            // The file alone, as the agent would read it were it its only file: a key the options do
            // not know is found here with its line, column and the closest known name.
            positions = AgentConfigFile.Read(file.FullName);
            configuration = new ConfigurationBuilder().AddJsonFile(file.FullName, optional: false, reloadOnChange: false).Build();
        }
        catch (UsageException e)
        {
            error.WriteLine(e.Message);
            return EdgectlApp.UsageError;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            // JSON that parses but is not a configuration (a key given twice): the innermost message says which.
            error.WriteLine($"{file.FullName}: {e.Message} {e.GetBaseException().Message}".TrimEnd());
            return EdgectlApp.UsageError;
        }

        var errors = ConfigFileDiagnostics.Describe(file.FullName, positions, AgentConfiguration.Validate(configuration));
        if (errors.Count == 0)
        {
            output.WriteLine($"{file.FullName}: valid");
            return 0;
        }

        error.WriteLine($"{file.FullName}: {errors.Count} error(s):");
        foreach (var line in errors)
        {
            error.WriteLine($"  {line}");
        }

        return EdgectlApp.UsageError;
    }
}
