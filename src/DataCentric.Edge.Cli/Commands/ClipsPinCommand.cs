using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl clips pin|unpin --device D --clip ID</c>: a pinned clip is never deleted by the
/// device's retention until unpinned; the device refuses a pin beyond its pin budget.
/// </summary>
internal static class ClipsPinCommand
{
    public static Command Create(TextWriter output, TextWriter error, bool pin)
    {
        var broker = new BrokerConnection();
        var device = new Option<string>("--device") { Description = "Device id", Required = true };
        var clip = new Option<string>("--clip") { Description = "Clip id (edgectl clips ls)", Required = true };
        var json = new Option<bool>("--json") { Description = "JSON instead of text" };
        var command = new Command(
            pin ? "pin" : "unpin",
            pin ? "Keep a clip on its device: retention never deletes it until unpinned (pins are capped at a share of the clip quota)"
                : "Let retention delete a pinned clip again");
        broker.AddTo(command);
        command.Options.Add(device);
        command.Options.Add(clip);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var deviceId = parse.GetValue(device)!;
            var reply = await session.AskAsync(
                deviceId, new CommandRequest(pin ? CommandNames.Pin : CommandNames.Unpin) { ClipId = parse.GetValue(clip) }, cancellationToken).ConfigureAwait(false);
            var result = reply.Result!.Value.Deserialize<PinResult>(UplinkJson.Options)!;
            if (parse.GetValue(json))
            {
                Table.WriteJson(output, result);
                return 0;
            }

            var budget = result.MaxPinnedBytes > 0
                ? string.Create(CultureInfo.InvariantCulture, $"; {result.PinnedBytes} of {result.MaxPinnedBytes} pinnable bytes in use")
                : string.Empty;
            await output.WriteLineAsync($"{result.ClipId} on {deviceId}: {(result.Pinned ? "pinned" : "unpinned")}{budget}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
