using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Receiver;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl clips ls|pull</c>: a device's clips, and pulling one (or a window around an event) to a local folder; <c>search|link</c> through the fleet API.</summary>
internal static class ClipsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var clips = new Command("clips", "Clips: list them on a device, pull them, export them");
        clips.Subcommands.Add(List(output, error));
        clips.Subcommands.Add(Pull(output, error));
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

    private static Command Pull(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var clipId = new Argument<string?>("clip") { Description = "Clip id (or use --event for a window around an event)", Arity = ArgumentArity.ZeroOrOne };
        var device = new Option<string>("--device") { Description = "Device id", Required = true };
        var eventId = new Option<string?>("--event") { Description = "Pull the clips around this event instead" };
        var before = new Option<double>("--before") { Description = "With --event: seconds before it", DefaultValueFactory = _ => 30 };
        var after = new Option<double>("--after") { Description = "With --event: seconds after it", DefaultValueFactory = _ => 10 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Where the clips land ({fleet}/{device}/{date}/{file})", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var wait = new Option<TimeSpan>("--wait") { Description = "How long to wait for the upload", DefaultValueFactory = _ => TimeSpan.FromMinutes(5) };
        var json = new Option<bool>("--json") { Description = "JSON instead of text" };
        var pull = new Command("pull", "Ask a device for a clip (or the clips around an event) and receive it here, with progress");
        broker.AddTo(pull);
        pull.Arguments.Add(clipId);
        foreach (var option in new Option[] { device, eventId, before, after, outDir, wait, json })
        {
            pull.Options.Add(option);
        }

        pull.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var id = parse.GetValue(clipId);
            var around = parse.GetValue(eventId);
            if ((id is null) == (around is null))
            {
                throw new UsageException("give a clip id or --event, not both or neither");
            }

            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var deviceId = parse.GetValue(device)!;
            var topics = new FleetTopics(session.Fleet, deviceId);

            // A receiver of our own for this device's uploads, subscribed before we ask.
            var uplink = session.Options;
            uplink.SessionExpiry = TimeSpan.FromMinutes(1);
            var receiverOptions = new ReceiverOptions { OutputDirectory = parse.GetValue(outDir)!.FullName, ClientId = $"{session.Client.RequesterId}-pull" };
            await using var receiver = new ClipReceiver(receiverOptions, uplink, session.Endpoint, filters: [$"{topics.Prefix}/clips/+/manifest", $"{topics.Prefix}/clips/+/chunk"]);
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            var arrived = new Dictionary<string, ReceivedClip>(StringComparer.Ordinal);
            var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writeLock = new Lock();
            receiver.ChunkReceived += (_, _, clip, index, count) =>
            {
                lock (writeLock)
                {
                    if (wanted.Contains(clip) && !parse.GetValue(json))
                    {
                        error.Write($"\r{clip}: {Bar(index + 1, count)} {index + 1}/{count} chunks ");
                    }
                }
            };
            receiver.ClipReceived += clip =>
            {
                lock (writeLock)
                {
                    arrived[clip.Manifest.ClipId] = clip;
                    if (wanted.Count > 0 && wanted.IsSubsetOf(arrived.Keys))
                    {
                        allIn.TrySetResult();
                    }
                }
            };
            await receiver.EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);

            if (id is not null)
            {
                lock (writeLock)
                {
                    wanted.Add(id);
                }

                await session.AskAsync(deviceId, new CommandRequest(CommandNames.PullClip) { ClipId = id }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var reply = await session.AskAsync(
                    deviceId,
                    new CommandRequest(CommandNames.PullWindow) { EventId = around, BeforeSeconds = parse.GetValue(before), AfterSeconds = parse.GetValue(after) },
                    cancellationToken).ConfigureAwait(false);
                var window = reply.Result!.Value.Deserialize<PullWindowResult>(UplinkJson.Options)!;
                foreach (var gap in window.Uncovered)
                {
                    await error.WriteLineAsync($"edgectl: no stored clip covers {Table.Time(gap.From)} to {Table.Time(gap.To)}").ConfigureAwait(false);
                }

                foreach (var cut in window.FromBuffer)
                {
                    await error.WriteLineAsync($"edgectl: the device is cutting {Table.Time(cut.From)} to {Table.Time(cut.To)} from its recent buffer; it uploads when complete (edgectl clips ls)").ConfigureAwait(false);
                }

                if (window.ClipIds.Count == 0)
                {
                    throw new InvalidOperationException($"no clip on {deviceId} covers the window around event {around}");
                }

                lock (writeLock)
                {
                    wanted.UnionWith(window.ClipIds);
                    if (wanted.IsSubsetOf(arrived.Keys))
                    {
                        allIn.TrySetResult();
                    }
                }
            }

            try
            {
                await allIn.Task.WaitAsync(parse.GetValue(wait), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"the device queued the upload but it did not arrive within {parse.GetValue(wait)}; it stays queued on the device");
            }

            if (!parse.GetValue(json))
            {
                await error.WriteLineAsync().ConfigureAwait(false);
            }

            List<ReceivedClip> pulled;
            lock (writeLock)
            {
                pulled = [.. wanted.Select(w => arrived[w])];
            }

            Table.Write(output, parse.GetValue(json), pulled.Select(c => new { c.Manifest.ClipId, c.Manifest.SizeBytes, c.Manifest.Sha256, c.Path }).ToList(),
                ("CLIP", c => c.ClipId), ("BYTES", c => c.SizeBytes.ToString(CultureInfo.InvariantCulture)), ("PATH", c => c.Path));
            return 0;
        }));
        return pull;
    }

    private static string Bar(int done, int total)
    {
        const int width = 30;
        var filled = total == 0 ? width : done * width / total;
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }
}
