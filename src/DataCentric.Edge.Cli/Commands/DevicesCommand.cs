using System.CommandLine;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl devices</c>: every device's retained status; <c>devices ping</c>: a round trip to one.</summary>
internal static class DevicesCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var json = new Option<bool>("--json") { Description = "JSON instead of a table" };
        var devices = new Command("devices", "List the fleet's devices: online, offline or paused, and their trigger set version");
        broker.AddTo(devices);
        devices.Options.Add(json);
        devices.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var retained = await session.Client.ReadRetainedAsync(FleetTopics.AllStatus(session.Fleet), TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
            var statuses = retained.Select(r => Parse(r.Payload)).OfType<DeviceStatus>().OrderBy(s => s.Device, StringComparer.Ordinal).ToList();
            Table.Write(output, parse.GetValue(json), statuses,
                ("DEVICE", s => s.Device), ("STATE", s => s.State), ("TRIGGERS", s => s.TriggerSetVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("SINCE", s => Table.Time(s.At)),
                ("FPS", s => s.Health?.FramesPerSecond.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)),
                ("BACKLOG", s => s.Health?.UploadBacklogClips.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("FAULTS", s => s.Health is { } h ? (h.Faults.Count == 0 ? "none" : string.Join("; ", h.Faults.Select(f => $"{f.Component} {f.State}: {f.Detail}"))) : null),
                ("DETAIL", s => s.Detail));
            return 0;
        }));

        var device = new Argument<string>("device") { Description = "Device id" };
        var ping = new Command("ping", "Ask one device to answer");
        broker.AddTo(ping);
        ping.Arguments.Add(device);
        ping.Options.Add(json);
        ping.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var reply = await session.AskAsync(parse.GetValue(device)!, new CommandRequest(CommandNames.Ping), cancellationToken).ConfigureAwait(false);
            var result = reply.Result!.Value.Deserialize<PingResult>(UplinkJson.Options)!;
            if (parse.GetValue(json))
            {
                Table.WriteJson(output, result);
            }
            else
            {
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                await output.WriteLineAsync($"{result.Fleet}/{result.Device}: answered in {elapsed.TotalMilliseconds:0} ms, trigger set {result.TriggerSetVersion}, {result.PendingUploads} clips waiting to upload").ConfigureAwait(false);
            }

            return 0;
        }));
        devices.Subcommands.Add(ping);
        return devices;
    }

    private static DeviceStatus? Parse(byte[] payload)
    {
        try
        {
            return JsonSerializer.Deserialize<DeviceStatus>(payload, UplinkJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
