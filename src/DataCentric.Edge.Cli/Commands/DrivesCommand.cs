using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl drives record --device D --minutes N [--frames]</c>: has a device record its next minutes as a drive for backtesting.</summary>
internal static class DrivesCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var drives = new Command("drives", "Recorded drives on the devices, for `triggers test`");
        drives.Subcommands.Add(Record(output, error));
        return drives;
    }

    private static Command Record(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var device = new Option<string>("--device") { Description = "Device id", Required = true };
        var minutes = new Option<double>("--minutes") { Description = "How many minutes to record, from now", Required = true };
        var frames = new Option<bool>("--frames") { Description = "Keep the camera frames too, so another model can be replayed on the drive" };
        var json = new Option<bool>("--json") { Description = "JSON instead of a sentence" };
        var record = new Command("record", "Have a device record its next minutes (signals, optionally frames) as a drive, within its disk budget");
        broker.AddTo(record);
        record.Options.Add(device);
        record.Options.Add(minutes);
        record.Options.Add(frames);
        record.Options.Add(json);
        record.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var length = parse.GetValue(minutes);
            if (!double.IsFinite(length) || length <= 0)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--minutes must be a positive number of minutes, not {length}"));
            }

            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var deviceId = parse.GetValue(device)!;
            var reply = await session.AskAsync(
                deviceId, new CommandRequest(CommandNames.RecordDrive) { Minutes = length, Frames = parse.GetValue(frames) }, cancellationToken).ConfigureAwait(false);
            var result = reply.Result!.Value.Deserialize<DriveRecordingResult>(UplinkJson.Options)!;
            if (parse.GetValue(json))
            {
                Table.WriteJson(output, result);
            }
            else
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{session.Fleet}/{deviceId}: recording {result.DriveId}{(result.Frames ? " with frames" : string.Empty)} from {Table.Time(result.From)} to {Table.Time(result.To)}, up to {result.BudgetBytes / (1024.0 * 1024):0.#} MiB, into {result.Path} on the device")).ConfigureAwait(false);
            }

            return 0;
        }));
        return record;
    }
}
