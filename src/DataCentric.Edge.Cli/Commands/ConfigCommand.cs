using System.CommandLine;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl config validate &lt;file&gt;</c>: the agent's own start-up check, offline, so a config is
/// known good before it reaches a board. Every error is printed with its key; exit 2 when any.
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
        if (!file.Exists)
        {
            error.WriteLine($"{file.FullName}: no such file");
            return EdgectlApp.UsageError;
        }

        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(file.FullName, optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException e)
        {
            // The innermost exception (System.Text.Json's) names the line and byte position.
            var innermost = e.GetBaseException();
            error.WriteLine($"{file.FullName}: {e.Message} {innermost.Message}".TrimEnd());
            return EdgectlApp.UsageError;
        }

        var errors = AgentConfiguration.Validate(configuration);
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
