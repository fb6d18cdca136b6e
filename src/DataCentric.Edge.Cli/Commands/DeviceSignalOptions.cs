using System.CommandLine;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>--config FILE | --board NAME</c> on the trigger commands: the signals a device really publishes
/// with that configuration (<see cref="PublishedSignals"/>, the agent's own registration), to check a
/// set against before it is tested, signed or pushed.
/// </summary>
internal sealed class DeviceSignalOptions
{
    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "The devices' agent configuration (e.g. /etc/dce-agent/agent.json), layered over the agent's defaults: unknown signals are errors",
    };

    public Option<string?> Board { get; } = new("--board")
    {
        Description = "A board of firmware-config (raspberry-pi-5, jetson-orin-nano, ..., demo): its shipped configuration's signals; unknown signals are errors",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Config);
        command.Options.Add(Board);
    }

    /// <summary>The device's signals, or null when neither option was given.</summary>
    /// <exception cref="UsageException">The file or board is not found, or the configuration is not valid (every error, with line and column).</exception>
    /// <exception cref="InvalidOperationException">Two sources name one signal with different kinds, or a replayed recording cannot be read.</exception>
    public async Task<DeviceSignalSet?> ResolveAsync(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(Config) is not null && parse.GetValue(Board) is not null)
        {
            throw new UsageException("--config and --board cannot be used together: a board's file is one agent configuration");
        }

        string? file;
        bool demo;
        string described;
        if (parse.GetValue(Config) is { } config)
        {
            (file, demo, described) = (config.FullName, false, config.FullName);
        }
        else if (parse.GetValue(Board) is { } board)
        {
            (file, demo) = BoardConfigs.Resolve(board);
            described = file is null ? $"board {board} (the agent's demo configuration)" : $"board {board} ({file})";
        }
        else
        {
            return null;
        }

        var configuration = AgentConfigFile.Load(file, demo, out var positions);
        var errors = AgentConfiguration.Validate(configuration);
        if (errors.Count > 0)
        {
            var lines = positions is null ? [.. errors] : ConfigFileDiagnostics.Describe(file!, positions, errors);
            throw new UsageException($"{described} is not a valid agent configuration ({lines.Count} error(s)):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}");
        }

        return new DeviceSignalSet(described, await SignalsOfAsync(configuration).ConfigureAwait(false));
    }

    /// <summary>What the agent registers for this configuration: its sources and models composed as the agent composes them, none started.</summary>
    public static async Task<IReadOnlyList<(string Name, SignalKind Kind)>> SignalsOfAsync(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCore(configuration);
        services.AddDevice(configuration, AppContext.BaseDirectory);
        await using var provider = services.BuildServiceProvider();
        return PublishedSignals.Of(provider);
    }
}

/// <summary>The signals of one device configuration, and which one it was.</summary>
internal sealed record DeviceSignalSet(string Source, IReadOnlyList<(string Name, SignalKind Kind)> Signals);
