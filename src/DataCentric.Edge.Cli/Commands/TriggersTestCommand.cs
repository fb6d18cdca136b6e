using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Backtest;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl triggers test &lt;set&gt; --drive &lt;recording.mcap&gt;</c>: replays a recorded drive through a
/// trigger set and says what it would cost before it is pushed: fires, fires per hour, clip bytes
/// per hour, and recall and precision against the drive's ground truth.
/// </summary>
internal static class TriggersTestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var set = new Argument<FileInfo>("set") { Description = "Trigger set (.yaml or .json)" };
        var drive = new Option<FileInfo>("--drive") { Description = "Recorded drive or clip (.mcap), e.g. from `dce-agent record`", Required = true };
        var truth = new Option<string>("--truth") { Description = "Boolean signal that is true where the case really happened", DefaultValueFactory = _ => "truth.primary_missed" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("test", "Backtest a trigger set on a recorded drive") { set, drive, truth, json };
        var deviceSignals = new DeviceSignalOptions();
        deviceSignals.AddTo(command);
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(error, async () =>
            await CheckAgainstDeviceAsync(parsed, deviceSignals, parsed.GetValue(set)!, error, cancellationToken).ConfigureAwait(false)
            ?? Run(parsed.GetValue(set)!, parsed.GetValue(drive)!, parsed.GetValue(truth)!, parsed.GetValue(json), output, error)));
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

    private static int Run(FileInfo setFile, FileInfo driveFile, string truthSignal, bool json, TextWriter output, TextWriter error)
    {
        RecordedDrive drive;
        try
        {
            using var stream = driveFile.OpenRead();
            drive = RecordedDrive.Load(stream);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"edgectl: drive {driveFile.FullName}: {e.Message}");
            return EdgectlApp.UsageError;
        }

        string source;
        try
        {
            source = File.ReadAllText(setFile.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"edgectl: trigger set {setFile.FullName}: {e.Message}");
            return EdgectlApp.UsageError;
        }

        var format = TriggerSourceFormats.FromPath(setFile.Name);
        var compiled = TriggerSetCompiler.Compile(source, format, drive.KnownSignals);
        if (compiled.Set is null)
        {
            error.WriteLine($"edgectl: {setFile.Name} is not valid against the drive's signals:");
            foreach (var diagnostic in compiled.Errors)
            {
                error.WriteLine($"  {setFile.Name}{diagnostic}");
            }

            return EdgectlApp.UsageError;
        }

        var hasTruth = drive.KnownSignals.Any(s => s.Name == truthSignal);
        var report = TriggerBacktest.Run(compiled.Set, drive.Samples, new BacktestOptions
        {
            GroundTruth = hasTruth ? drive.GroundTruth(truthSignal) : null,
            WallClockAtStart = drive.Content.WallClockStart,
        });
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(
                new
                {
                    drive = driveFile.Name,
                    durationSeconds = report.Duration.TotalSeconds,
                    groundTruth = hasTruth ? truthSignal : null,
                    triggers = report.Triggers.Select(t => new { t.TriggerId, t.Fires, t.FiresPerHour, t.EstimatedClipBytesPerHour, t.Recall, t.Precision, t.NearDuplicateShare }),
                },
                new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return 0;
        }

        output.WriteLine($"{driveFile.Name}: {report.Duration.TotalMinutes:F1} min, {drive.Samples.Count} samples, ground truth: {(hasTruth ? truthSignal : "none")}");
        output.WriteLine($"{"trigger",-28} {"fires",6} {"fires/h",9} {"MB/h",9} {"recall",7} {"precision",9} {"near-dup",8}");
        foreach (var t in report.Triggers)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{t.TriggerId,-28} {t.Fires,6} {t.FiresPerHour,9:F1} {t.EstimatedClipBytesPerHour / 1e6,9:F1} {Share(t.Recall),7} {Share(t.Precision),9} {Share(t.NearDuplicateShare),8}"));
        }

        return 0;
    }

    private static string Share(double? value) => value is { } v ? v.ToString("P0", CultureInfo.InvariantCulture) : "-";
}
