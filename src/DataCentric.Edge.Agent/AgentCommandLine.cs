using System.Globalization;

namespace DataCentric.Edge.Agent;

public enum AgentMode
{
    /// <summary>The service: sources and broker from configuration.</summary>
    Run,

    /// <summary>The embedded defaults: synthetic scene, simulated controller, in-process broker and receiver.</summary>
    Demo,

    /// <summary>Records a drive (every signal, optionally the frames) for <c>edgectl triggers test</c>: the configured sources, or the demo's with <c>--demo</c>.</summary>
    Record,

    Help,
}

/// <summary>The agent's command line: <c>[run|demo|record] [--duration s] [--minutes n] [--frames] [--demo] [--console] [--out path] [--config file] [--data dir]</c>.</summary>
/// <param name="KeepFrames">record: keep the camera frames in the drive, so another model can be replayed on it.</param>
/// <param name="RecordDemo">record: on the demo's embedded defaults instead of the configured sources.</param>
/// <param name="StartConsole">demo: also start dce-fleet (the fleet console) on the demo's broker.</param>
public sealed record AgentCommandLine(
    AgentMode Mode, TimeSpan Duration, string OutputDirectory, string? ConfigFile, string? DataDirectory, bool KeepFrames = false, bool RecordDemo = false,
    bool StartConsole = false)
{
    /// <summary>The longest recording the command line takes; <c>Drives:MaxDuration</c> may allow less.</summary>
    public static readonly TimeSpan MaxRecordDuration = TimeSpan.FromHours(24);

    public const string Usage = """
        usage: dce-agent [run|demo|record] [options]
          run                  run as a service with the configured sources and broker (default)
          demo                 run on the embedded defaults: synthetic scene, simulated controller,
                               in-process MQTT broker and clip receiver
          record               run with the configured sources and record a drive (every signal,
                               optionally the frames) for `edgectl triggers test`, then stop;
                               bounded by the disk budget Drives:MaxDiskBytes
        options:
          --duration <seconds> demo/record: stop after this long (default 30; demo --console: until Ctrl+C)
          --minutes <n>        record: record this many minutes (up to 1440 and Drives:MaxDuration)
          --frames             record: keep the camera frames too (JPEG), to replay another model
          --demo               record: on the demo's synthetic scene and simulated controller
                               (its ground truth included) instead of the configured sources
          --console            demo: also start the fleet console (dce-fleet on its embedded
                               defaults, fed by the demo's broker) and print its URL and a token
          --out <path>         demo: where received clips land (default ./demo-clips)
                               record: a folder for the drive (default Drives:Directory), or a
                               .mcap file (record --demo default: ./drive.mcap)
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
        bool frames = false, recordDemo = false, startConsole = false;
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

            if (name is "--console")
            {
                if (mode != AgentMode.Demo)
                {
                    error = "option '--console' applies to 'demo' only";
                    return null;
                }

                startConsole = true;
                continue;
            }

            if (name is "--frames" or "--demo")
            {
                if (mode != AgentMode.Record)
                {
                    error = $"option '{name}' applies to 'record' only";
                    return null;
                }

                frames |= name == "--frames";
                recordDemo |= name == "--demo";
                continue;
            }

            if (name is not ("--duration" or "--minutes" or "--out" or "--config" or "--data"))
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
                case "--minutes":
                    if (mode != AgentMode.Record)
                    {
                        error = "option '--minutes' applies to 'record' only";
                        return null;
                    }

                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) || !(minutes > 0))
                    {
                        error = $"option '--minutes': '{value}' is not a positive number of minutes";
                        return null;
                    }

                    if (minutes > MaxRecordDuration.TotalMinutes)
                    {
                        error = string.Create(CultureInfo.InvariantCulture, $"option '--minutes': {value} is more than the {MaxRecordDuration.TotalMinutes:0} minutes one recording may last");
                        return null;
                    }

                    duration = TimeSpan.FromMinutes(minutes);
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

        if (mode == AgentMode.Record && args.Contains("--minutes") && args.Contains("--duration"))
        {
            error = "options '--minutes' and '--duration' both say how long to record: give one";
            return null;
        }

        if (mode == AgentMode.Record && !args.Contains("--out"))
        {
            // The configured drive folder, except for the demo, whose data folder is temporary.
            output = recordDemo ? "drive.mcap" : string.Empty;
        }

        if (startConsole && !args.Contains("--duration"))
        {
            // The console is there to be looked at: it stays until Ctrl+C unless a duration is given.
            duration = Timeout.InfiniteTimeSpan;
        }

        return new AgentCommandLine(mode, duration, output, config, data, frames, recordDemo, startConsole);
    }

    /// <summary>The demo and <c>record --demo</c> run on the embedded defaults.</summary>
    public bool IsDemo => Mode is AgentMode.Demo || (Mode is AgentMode.Record && RecordDemo);
}
