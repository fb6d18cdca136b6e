using System.CommandLine;
using DataCentric.Edge.Cli.Commands.Backtest;
using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl triggers test &lt;set&gt; [&lt;other set&gt;] --drive &lt;recording.mcap&gt;...</c>: replays recorded
/// drives through a trigger set and says what it would cost before it is pushed: fires and their
/// times, fires per hour, clip bytes per hour at the drive's measured clip size, suppressions, and
/// recall and precision against the drive's ground truth; with <c>--model</c>, after running the
/// drive's frames through another model; with a second set, both side by side.
/// </summary>
internal static class TriggersTestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sets = new Argument<FileInfo[]>("set") { Description = "Trigger set (.yaml or .json); a second one is compared side by side", Arity = new ArgumentArity(1, 2) };
        var compare = new Option<FileInfo?>("--compare") { Description = "Another trigger set to compare side by side" };
        var drive = new Option<FileInfo[]>("--drive") { Description = "Recorded drive or clip (.mcap), e.g. from `dce-agent record`; repeat it for several", Required = true, AllowMultipleArgumentsPerToken = true };
        var model = new Option<FileInfo?>("--model") { Description = "Replay the drives' frames through this ONNX model (configured as the drive's model was) before the triggers" };
        var modelName = new Option<string?>("--model-name") { Description = "Which of the drive's models --model replaces (default: the first)" };
        var truth = new Option<string>("--truth") { Description = "Boolean signal that is true where the case really happened", DefaultValueFactory = _ => "truth.primary_missed" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("test", "Backtest a trigger set on recorded drives") { sets, compare, drive, model, modelName, truth, json };
        var deviceSignals = new DeviceSignalOptions();
        deviceSignals.AddTo(command);
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var files = parsed.GetValue(sets)!.ToList();
            if (parsed.GetValue(compare) is { } other)
            {
                files.Add(other);
            }

            foreach (var file in files)
            {
                if (await CheckAgainstDeviceAsync(parsed, deviceSignals, file, error, cancellationToken).ConfigureAwait(false) is { } failed)
                {
                    return failed;
                }
            }

            return Run(files, parsed.GetValue(drive)!, parsed.GetValue(model), parsed.GetValue(modelName), parsed.GetValue(truth)!, parsed.GetValue(json), output, error);
        }));
        return command;
    }

    /// <summary>With --config or --board, the set must fit the devices it is meant for, not only the drive: an exit code when it does not.</summary>
    private static async Task<int?> CheckAgainstDeviceAsync(ParseResult parsed, DeviceSignalOptions deviceSignals, FileInfo setFile, TextWriter error, CancellationToken cancellationToken)
    {
        if (await deviceSignals.ResolveAsync(parsed).ConfigureAwait(false) is not { } device)
        {
            return null;
        }

        if (!setFile.Exists)
        {
            throw new UsageException($"trigger set {setFile.FullName}: no such file");
        }

        var check = SetCheck.Run(await File.ReadAllTextAsync(setFile.FullName, cancellationToken).ConfigureAwait(false), TriggerSourceFormats.FromPath(setFile.Name), device.Signals, signalsGiven: true);
        if (check.Passed)
        {
            return null;
        }

        await error.WriteLineAsync($"edgectl: {setFile.Name} is not valid against the signals of {device.Source}:").ConfigureAwait(false);
        await check.WriteAsync(error, "  " + setFile.Name).ConfigureAwait(false);
        return EdgectlApp.UsageError;
    }

    private static int Run(
        List<FileInfo> setFiles, FileInfo[] driveFiles, FileInfo? model, string? modelName, string truthSignal, bool json, TextWriter output, TextWriter error)
    {
        if (setFiles.Count > 2)
        {
            error.WriteLine("edgectl: compare two sets at most: two set arguments, or one and --compare");
            return EdgectlApp.UsageError;
        }

        if (model is not null && !model.Exists)
        {
            error.WriteLine($"edgectl: model {model.FullName}: file not found");
            return EdgectlApp.UsageError;
        }

        var sources = new List<string>();
        foreach (var setFile in setFiles)
        {
            try
            {
                sources.Add(File.ReadAllText(setFile.FullName));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"edgectl: trigger set {setFile.FullName}: {e.Message}");
                return EdgectlApp.UsageError;
            }
        }

        var drives = new List<BacktestDrive>();
        try
        {
            foreach (var file in driveFiles)
            {
                drives.Add(BacktestDrive.Load(file, model, modelName, error));
            }
        }
        catch (ReplayException e)
        {
            error.WriteLine($"edgectl: {e.Message}");
            return EdgectlApp.UsageError;
        }

        var results = new List<SetBacktest>();
        for (var i = 0; i < setFiles.Count; i++)
        {
            var result = SetBacktest.Run(setFiles[i], sources[i], drives, truthSignal, error);
            if (result is null)
            {
                return EdgectlApp.UsageError;
            }

            results.Add(result);
        }

        var truth = drives.Any(d => d.KnownSignals.Any(s => s.Name == truthSignal)) ? truthSignal : null;
        if (json)
        {
            BacktestReportWriter.WriteJson(output, drives, results, truth);
        }
        else
        {
            BacktestReportWriter.WriteText(output, drives, results, truth);
        }

        return 0;
    }
}
