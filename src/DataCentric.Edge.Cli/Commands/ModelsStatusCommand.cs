using System.CommandLine;
using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Models;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl models status [--device D]</c>: each device's retained ack per model: stage, progress, reasons and the version running.</summary>
internal static class ModelsStatusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var device = new Option<string?>("--device") { Description = "Only this device (default: every device of the fleet)" };
        var json = new Option<bool>("--json") { Description = "JSON instead of a table" };
        var status = new Command("status", "Where each device stands with each model release (its retained ack)");
        broker.AddTo(status);
        status.Options.Add(device);
        status.Options.Add(json);
        status.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            string filter;
            try
            {
                filter = ModelTopics.Acks(session.Fleet, parse.GetValue(device));
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--device '{parse.GetValue(device)}' is not a device id: {e.Message}", e);
            }

            var retained = await session.Client.ReadRetainedAsync(filter, TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
            var acks = retained.Select(r => UplinkJson.Deserialize<ModelReleaseAck>(new System.Buffers.ReadOnlySequence<byte>(r.Payload))).OfType<ModelReleaseAck>()
                .OrderBy(a => a.Device, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
            Table.Write(output, parse.GetValue(json), acks,
                ("DEVICE", a => a.Device), ("MODEL", a => a.Name), ("VERSION", a => a.Version.ToString(CultureInfo.InvariantCulture)),
                ("STAGE", a => ModelTransferReasons.Of(a.Stage)), ("RECEIVED", a => a.BytesReceived?.ToString(CultureInfo.InvariantCulture)),
                ("ACTIVE", a => a.ActiveVersion.ToString(CultureInfo.InvariantCulture)), ("AT", a => Table.Time(a.At)),
                ("REASONS", a => a.Reasons.Count == 0 ? null : string.Join(" | ", a.Reasons.Select(r => $"{r.Reason}: {r.Message}"))));
            return 0;
        }));
        return status;
    }
}
