using System.CommandLine;
using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Fleet.Receiver;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl receive</c>: the clip receiver service. Collects the fleet's uploads into a directory
/// tree (shared storage may be used by several receivers in one shared-subscription group), one
/// line per clip, until stopped (Ctrl+C, SIGTERM) or after <c>--count</c> clips.
/// </summary>
internal static class ReceiveCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Where clips land: {fleet}/{device}/{date}/{file}, with index.jsonl", Required = true };
        var group = new Option<string>("--group")
        {
            Description = "MQTT 5 shared-subscription group; receivers in one group split the uploads (empty: plain subscription)",
            DefaultValueFactory = _ => "dce-receivers",
        };
        var clientId = new Option<string>("--client-id")
        {
            Description = "MQTT client id; unique per receiver, stable across restarts (keeps its session)",
            DefaultValueFactory = _ => $"dce-receiver-{Environment.MachineName}",
        };
        var count = new Option<int?>("--count") { Description = "Exit after this many clips" };
        var json = new Option<bool>("--json") { Description = "One JSON object per clip instead of text" };
        var command = new Command("receive", "Run the clip receiver: collect uploads, verify, acknowledge");
        broker.AddTo(command);
        command.Options.Add(outDir);
        command.Options.Add(group);
        command.Options.Add(clientId);
        command.Options.Add(count);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var (uplink, endpoint) = broker.Resolve(parse);
            var receiverOptions = new ReceiverOptions
            {
                OutputDirectory = parse.GetValue(outDir)!.FullName,
                SharedGroup = parse.GetValue(group) is { Length: > 0 } g ? g : null,
                ClientId = parse.GetValue(clientId)!,
            };
            var limit = parse.GetValue(count);
            var asJson = parse.GetValue(json);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var received = 0;
            var writeLock = new Lock();
            await using var receiver = new ClipReceiver(receiverOptions, uplink, endpoint);
            receiver.ClipReceived += clip =>
            {
                lock (writeLock)
                {
                    var record = new { clip.Manifest.Fleet, clip.Manifest.Device, clip.Manifest.ClipId, clip.Manifest.SizeBytes, clip.Manifest.Sha256, clip.Path };
                    output.WriteLine(asJson
                        ? JsonSerializer.Serialize(record, CliJson.Options)
                        : $"{clip.Manifest.Fleet}/{clip.Manifest.Device} {clip.Manifest.ClipId} {clip.Manifest.SizeBytes} bytes -> {clip.Path}");
                    if (limit is { } l && ++received >= l)
                    {
                        stop.Cancel();
                    }
                }
            };
            receiver.Rejected += reason =>
            {
                lock (writeLock)
                {
                    error.WriteLine($"edgectl receive: rejected {reason}");
                }
            };
            var loop = new ReceiverLoop(receiver, receiverOptions, uplink, TimeProvider.System);
            loop.Down += (reason, delay) => error.WriteLine($"edgectl receive: broker {endpoint} unavailable ({reason}); retrying in {delay.TotalSeconds:0.#} s");
            loop.Connected += () => error.WriteLine($"edgectl receive: connected to {endpoint}");
            error.WriteLine($"edgectl receive: {endpoint} -> {receiverOptions.OutputDirectory} ({string.Join(", ", receiver.Filters)})");
            await loop.RunAsync(stop.Token).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
