using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Agent;
using DataCentric.Edge.Agent.Demo;
using DataCentric.Edge.Agent.Demo.FleetConsole;
using DataCentric.Edge.Agent.Drives;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Device.Board;
using DataCentric.Edge.Device.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Before anything can load ONNX Runtime: its telemetry stays off unless the operator asks for it.
OnnxRuntimeTelemetry.OptOut();

var commandLine = AgentCommandLine.TryParse(args, out var error);
if (commandLine is null)
{
    Console.Error.WriteLine($"dce-agent: {error}");
    Console.Error.WriteLine(AgentCommandLine.Usage);
    return 2;
}

if (commandLine.Mode == AgentMode.Help)
{
    Console.WriteLine(AgentCommandLine.Usage);
    return 0;
}

IConfigurationRoot configuration;
try
{
    configuration = AgentHost.BuildConfiguration(commandLine);
}
catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
{
    // A config file that is missing or not JSON: the innermost message names the line.
    Console.Error.WriteLine($"dce-agent: invalid configuration, nothing started: {e.Message} {e.GetBaseException().Message}");
    return 2;
}

var errors = AgentConfiguration.Validate(configuration)
    .Concat(BoardIdentity.Check(configuration, System.Runtime.InteropServices.RuntimeInformation.OSArchitecture))
    .ToList();
if (errors.Count > 0)
{
    Console.Error.WriteLine("dce-agent: invalid configuration, nothing started:");
    foreach (var line in errors)
    {
        Console.Error.WriteLine($"  {line}");
    }

    return 2;
}

var host = AgentHost.Build(commandLine, configuration, Console.Out);
var demoConsole = host.Services.GetService<DemoConsole>();
var recordCommand = host.Services.GetService<RecordCommandService>();
try
{
    await host.RunAsync();
}
catch (Exception e) when (e is ModelConfigurationException or IOException or TriggerSetRejectedException or DemoConsoleException)
{
    // A fault the operator must fix (model, data directory, trigger set, the demo's console): exit non-zero so systemd shows it.
    Console.Error.WriteLine($"dce-agent: {e.Message}");
    return 1;
}
finally
{
    host.Dispose();
    AgentHost.DeleteDemoData(commandLine, configuration);
}

demoConsole?.WriteSummary();
return recordCommand?.ExitCode ?? 0;
