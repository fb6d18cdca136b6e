using System.Globalization;

namespace DataCentric.Edge.Agent;

public enum AgentMode
{
    /// <summary>The service: sources and broker from configuration.</summary>
    Run,

    /// <summary>The embedded defaults: synthetic scene, simulated controller, in-process broker and receiver.</summary>
    Demo,

    /// <summary>The demo, plus every signal written to one MCAP drive for <c>edgectl triggers test</c>.</summary>
    Record,

    Help,
}

/// <summary>The agent's command line: <c>[run|demo|record] [--duration s] [--out path] [--config file] [--data dir]</c>.</summary>
public sealed record AgentCommandLine(AgentMode Mode, TimeSpan Duration, string OutputDirectory, string? ConfigFile, string? DataDirectory)
{
    public const string Usage = """
        usage: dce-agent [run|demo|record] [options]
          run                  run as a service with the configured sources and broker (default)
          demo                 run on the embedded defaults: synthetic scene, simulated controller,
                               in-process MQTT broker and clip receiver
          record               the demo, recording every signal (and the scene's ground truth) into
                               one MCAP drive for `edgectl triggers test`
        options:
          --duration <seconds> demo/record: stop after this long (default 30)
          --out <path>         demo: where received clips land (default ./demo-clips)
                               record: the drive file (default ./drive.mcap)
          --config <file>      extra JSON configuration file, applied over the defaults
          --data <dir>         data directory (catalog and clips); demo default: a fresh temp dir
          -h, --help           show this help
        """;

    /// <summary>Parses the arguments; on error returns null and says which argument was wrong.</summary>
    public static AgentCommandLine? TryParse(IReadOnlyList<string> args, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        error = null;
        var mode = AgentMode.Run;
        var duration = TimeSpan.FromSeconds(30);
        var output = "demo-clips";
        string? config = null, data = null;
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            switch (args[0])
            {
                case "run": mode = AgentMode.Run; break;
                case "demo": mode = AgentMode.Demo; break;
                case "record": mode = AgentMode.Record; break;
                default:
                    error = $"unknown command '{args[0]}' (expected 'run', 'demo' or 'record')";
                    return null;
            }

            i = 1;
        }

        for (; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return new AgentCommandLine(AgentMode.Help, duration, output, config, data);
            }

            if (name is not ("--duration" or "--out" or "--config" or "--data"))
            {
                error = $"unknown option '{name}'";
                return null;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"option '{name}' needs a value";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--duration":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > 86_400 * 365)
                    {
                        error = $"option '--duration': '{value}' is not a positive number of seconds";
                        return null;
                    }

                    duration = TimeSpan.FromSeconds(seconds);
                    break;
                case "--out": output = value; break;
                case "--config": config = value; break;
                default: data = value; break;
            }
        }

        if (mode == AgentMode.Run && args.Any(a => a is "--duration" or "--out"))
        {
            error = "options '--duration' and '--out' apply to 'demo' and 'record' only";
            return null;
        }

        if (mode == AgentMode.Record && !args.Contains("--out"))
        {
            output = "drive.mcap";
        }

        return new AgentCommandLine(mode, duration, output, config, data);
    }

    /// <summary>Demo and record run on the embedded defaults.</summary>
    public bool IsDemo => Mode is AgentMode.Demo or AgentMode.Record;
}
