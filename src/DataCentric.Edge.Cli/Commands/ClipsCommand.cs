using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl clips ls|pull|pin|unpin</c>: a device's clips, pulling them to a local folder, pinning them on the device; <c>search|link</c> through the fleet API.</summary>
internal static class ClipsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var clips = new Command("clips", "Clips: list them on a device, pull them, export them");
        clips.Subcommands.Add(List(output, error));
        clips.Subcommands.Add(ClipsPullCommand.Create(output, error));
        clips.Subcommands.Add(ClipsPinCommand.Create(output, error, pin: true));
        clips.Subcommands.Add(ClipsPinCommand.Create(output, error, pin: false));
        clips.Subcommands.Add(ClipsExportCommand.Create(output, error));
        clips.Subcommands.Add(FleetSearchCommands.ClipsSearch(output, error));
        clips.Subcommands.Add(FleetSearchCommands.ClipsLink(output, error));
        return clips;
    }

    private static Command List(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var filter = new ListFilter();
        var api = new FleetApiConnection(apiFromEnvironment: false);
        var ls = new Command("ls", "List a device's clips (newest first): asks the device over MQTT, or the fleet API with --api");
        broker.AddTo(ls);
        filter.AddTo(ls);
        api.AddTo(ls);
        ls.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            if (parse.GetValue(api.Api) is not null)
            {
                // The fleet's copy: what reached the fleet, even from a device that is offline now.
                using var client = api.Connect(parse);
                var limit = parse.GetValue(filter.Limit);
                await FleetSearchCommands.WriteClipsAsync(
                    client,
                    [("fleet", parse.GetValue(broker.Fleet)), ("device", parse.GetValue(filter.Device)), ("trigger", parse.GetValue(filter.Trigger)),
                     ("from", parse.GetValue(filter.From)?.ToString("O", CultureInfo.InvariantCulture)), ("to", parse.GetValue(filter.To)?.ToString("O", CultureInfo.InvariantCulture)),
                     ("limit", limit?.ToString(CultureInfo.InvariantCulture))],
                    parse.GetValue(filter.Json), output, error, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var reply = await session.AskAsync(parse.GetValue(filter.Device)!, filter.Request(parse, CommandNames.ListClips), cancellationToken).ConfigureAwait(false);
            var list = reply.Result!.Value.Deserialize<List<ClipSummary>>(UplinkJson.Options)!;
            Table.Write(output, parse.GetValue(filter.Json), list,
                ("CLIP", c => c.ClipId), ("START", c => Table.Time(c.StartWall)), ("SECONDS", c => (c.EndWall - c.StartWall).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
                ("BYTES", c => c.SizeBytes.ToString(CultureInfo.InvariantCulture)), ("TRIGGERS", c => string.Join(",", c.TriggerIds)),
                ("UPLOAD", c => c.UploadState.ToString()), ("PINNED", c => c.Pinned ? "yes" : ""));
            return 0;
        }));
        return ls;
    }
}
