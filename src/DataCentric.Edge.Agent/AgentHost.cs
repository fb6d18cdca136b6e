using DataCentric.Edge.Agent.Demo;
using DataCentric.Edge.Agent.Drives;
using DataCentric.Edge.Agent.Health;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Agent.Workers;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core;
using DataCentric.Edge.Device;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.Uplink;
using DataCentric.Edge.Uplink.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent;

/// <summary>The composition root: configuration, then one service per stage in data-flow order.</summary>
public static class AgentHost
{
    private const string DemoTempPrefix = "dce-demo-";

    /// <summary>Reads configuration in order: defaults file, demo defaults, --config file, DCE_ environment variables, overrides.</summary>
    public static IConfigurationRoot BuildConfiguration(AgentCommandLine commandLine, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (commandLine.IsDemo)
        {
            var tempRoot = Path.Combine(Path.GetTempPath(), $"{DemoTempPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
            builder.AddJsonFile("appsettings.Demo.json", optional: false, reloadOnChange: false);
            builder.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{ReceiverOptions.SectionName}:{nameof(ReceiverOptions.OutputDirectory)}"] =
                    commandLine.Mode == AgentMode.Demo ? Path.GetFullPath(commandLine.OutputDirectory) : Path.Combine(tempRoot, "received"),
                [$"{AgentOptions.SectionName}:{nameof(AgentOptions.DataDirectory)}"] =
                    Path.Combine(tempRoot, "data"),
            });
        }

        if (commandLine.ConfigFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(commandLine.ConfigFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("DCE_");
        if (commandLine.DataDirectory is not null)
        {
            builder.AddInMemoryCollection([new($"{AgentOptions.SectionName}:{nameof(AgentOptions.DataDirectory)}", Path.GetFullPath(commandLine.DataDirectory))]);
        }

        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    /// <summary>The demo's catalog and clips live in a fresh temp folder (the received clips stay in --out): remove it.</summary>
    public static void DeleteDemoData(AgentCommandLine commandLine, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(configuration);
        var data = configuration[$"{AgentOptions.SectionName}:{nameof(AgentOptions.DataDirectory)}"];
        var root = data is null ? null : Path.GetDirectoryName(data);
        if (commandLine.IsDemo && commandLine.DataDirectory is null && root is not null
            && Path.GetFileName(root).StartsWith(DemoTempPrefix, StringComparison.Ordinal) && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// The agent: its stages in data-flow order, and for the demo (or a recorded drive) the pieces
    /// that stand in for the fleet, wired on top. Hosted services start in registration order and
    /// stop in reverse: the fleet stand-ins before the device's stages, consumers before producers.
    /// </summary>
    /// <param name="extraServices">Added after the device's own services: stand-ins for hardware a test has not got (a GPIO or CAN source).</param>
    public static IHost Build(AgentCommandLine commandLine, IConfiguration configuration, TextWriter demoOutput, Action<IServiceCollection>? extraServices = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        var services = builder.Services;
        services.AddServiceManagerNotifications();
        services.AddSingleton(commandLine);

        // Validated whole by AgentConfiguration before the host is built; each Add binds its own sections.
        services.AddCore(configuration);
        services.AddDevice(configuration, AppContext.BaseDirectory, sp =>
        {
            var releases = sp.Options<ModelReleaseOptions>();
            return new ModelActivationSettings(
                Path.GetFullPath(releases.StateDirectory, Path.GetFullPath(sp.Options<AgentOptions>().DataDirectory)), releases.ProbationFrames, releases.ProbationTimeout,
                releases.LatencyTolerance, releases.MemoryLimitBytes, releases.LoadCostFactor, releases.HealthyAfter, releases.CrashLoopStarts);
        });
        extraServices?.Invoke(services);
        services.AddPipeline(configuration);
        services.AddBuffer(configuration);
        services.AddUplink(configuration);
        services.AddHealth(configuration);
        services.AddEmbeddedBroker(configuration);

        if (commandLine.IsDemo)
        {
            services.AddDemoReceiver(configuration, demoOutput);
            if (commandLine.StartConsole)
            {
                services.AddDemoFleetConsole();
            }
        }

        services.AddDrives(configuration);
        services.AddStageWorkers();
        services.AddModelReleaseWorker();
        if (commandLine.Mode == AgentMode.Record)
        {
            // After the stages, so the sources publish when the recording starts.
            services.AddRecordCommand(demoOutput);
        }
        else if (commandLine.IsDemo)
        {
            services.AddHostedService<DemoStopper>();
        }

        return builder.Build();
    }
}
