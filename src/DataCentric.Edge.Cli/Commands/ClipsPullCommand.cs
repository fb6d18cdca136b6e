using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Receiver;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl clips pull</c>: one clip, the clips around an event, or an absolute window, received
/// into --out with progress. Only the pull's clips land there: a receiver of its own takes this
/// device's uploads, holds them until the device's reply names the pull's clips, and ignores the rest.
/// </summary>
internal static class ClipsPullCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var clipId = new Argument<string?>("clip") { Description = "Clip id (or --event, or --from and --to)", Arity = ArgumentArity.ZeroOrOne };
        var device = new Option<string>("--device") { Description = "Device id", Required = true };
        var eventId = new Option<string?>("--event") { Description = "Pull the clips around this event instead" };
        var before = new Option<double>("--before") { Description = "With --event: seconds before it", DefaultValueFactory = _ => 30 };
        var after = new Option<double>("--after") { Description = "With --event: seconds after it", DefaultValueFactory = _ => 10 };
        var from = WallClockArgument.Option("--from", "Pull an absolute window from this time (with --to)");
        var to = WallClockArgument.Option("--to", "Pull an absolute window up to this time (with --from)");
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Where the clips land ({fleet}/{device}/{date}/{file})", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var wait = new Option<TimeSpan>("--wait") { Description = "How long to wait for the upload", DefaultValueFactory = _ => TimeSpan.FromMinutes(5) };
        var json = new Option<bool>("--json") { Description = "JSON instead of text" };
        var pull = new Command("pull", "Ask a device for a clip, the clips around an event, or a window of time, and receive them here, with progress");
        broker.AddTo(pull);
        pull.Arguments.Add(clipId);
        foreach (var option in new Option[] { device, eventId, before, after, from, to, outDir, wait, json })
        {
            pull.Options.Add(option);
        }

        pull.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var request = Request(parse.GetValue(clipId), parse.GetValue(eventId), parse.GetValue(before), parse.GetValue(after), parse.GetValue(from), parse.GetValue(to));
            var asJson = parse.GetValue(json);
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var deviceId = parse.GetValue(device)!;
            var topics = new FleetTopics(session.Fleet, deviceId);
            var tracker = new PullTracker();
            var progress = new PullProgress(error, PullProgress.IsInteractive(error));

            // A receiver of our own for this device's uploads, subscribed before we ask; it keeps only this pull's clips.
            var uplink = session.Options;
            uplink.SessionExpiry = TimeSpan.FromMinutes(1);
            var receiverOptions = new ReceiverOptions { OutputDirectory = parse.GetValue(outDir)!.FullName, ClientId = $"{session.Client.RequesterId}-pull" };
            await using var receiver = new ClipReceiver(receiverOptions, uplink, session.Endpoint, filters: [$"{topics.Prefix}/clips/+/manifest", $"{topics.Prefix}/clips/+/chunk"])
            {
                Selection = tracker.Select,
            };
            receiver.ChunkReceived += (_, _, clip, index, count) =>
            {
                if (!asJson)
                {
                    progress.Chunk(clip, index, count);
                }
            };
            receiver.Rejected += reason => error.WriteLine($"edgectl: receiver: {reason}");
            receiver.ClipReceived += tracker.Arrived;
            receiver.AlreadyHeld += tracker.Arrived;
            await receiver.EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);

            if (request.ClipId is { } id)
            {
                tracker.Decide([id], []);
                await receiver.ReleaseHeldAsync().ConfigureAwait(false);
                await session.AskAsync(deviceId, request, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (request.EventId is null)
                {
                    await error.WriteLineAsync($"edgectl: asking {deviceId} for {Table.Time(request.From)} to {Table.Time(request.To)}").ConfigureAwait(false);
                }

                var reply = await session.AskAsync(deviceId, request, cancellationToken).ConfigureAwait(false);
                var window = reply.Result!.Value.Deserialize<PullWindowResult>(UplinkJson.Options)!;
                await ReportWindowAsync(error, window).ConfigureAwait(false);
                tracker.Decide(window.ClipIds, window.FromBuffer);
                await receiver.ReleaseHeldAsync().ConfigureAwait(false);
            }

            var limit = parse.GetValue(wait);
            await error.WriteLineAsync($"edgectl: waiting up to {limit} for {tracker.Wanted()} from {deviceId}").ConfigureAwait(false);
            try
            {
                await tracker.AllIn.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                progress.Finish();
                WriteTable(output, asJson, tracker.Pulled());
                throw new TimeoutException(
                    $"still missing after {limit}: {tracker.Missing()}; the device keeps them queued (edgectl clips ls --device {deviceId} shows their upload state)");
            }

            progress.Finish();
            WriteTable(output, asJson, tracker.Pulled());
            return 0;
        }));
        return pull;
    }

    /// <summary>The device command for what was asked; a mix of modes, or half a window, is a usage error naming the options.</summary>
    private static CommandRequest Request(string? clipId, string? eventId, double before, double after, DateTimeOffset? from, DateTimeOffset? to)
    {
        var modes = (clipId is null ? 0 : 1) + (eventId is null ? 0 : 1) + (from is null && to is null ? 0 : 1);
        if (modes != 1)
        {
            throw new UsageException("give one of: a clip id, --event, or --from and --to");
        }

        if (clipId is not null)
        {
            return new CommandRequest(CommandNames.PullClip) { ClipId = clipId };
        }

        if (eventId is not null)
        {
            return new CommandRequest(CommandNames.PullWindow) { EventId = eventId, BeforeSeconds = before, AfterSeconds = after };
        }

        if (from is not { } start || to is not { } end)
        {
            throw new UsageException(from is null ? "--to needs --from" : "--from needs --to");
        }

        if (start >= end)
        {
            throw new UsageException($"--from ({Table.Time(start)}) must be before --to ({Table.Time(end)})");
        }

        if (end - start > PullWindows.MaxWindow)
        {
            throw new UsageException($"--from to --to spans {end - start}; at most {PullWindows.MaxWindow} can be pulled at once");
        }

        return new CommandRequest(CommandNames.PullWindow) { From = start, To = end };
    }

    private static async Task ReportWindowAsync(TextWriter error, PullWindowResult window)
    {
        foreach (var gap in window.Uncovered)
        {
            var cut = window.FromBuffer.FirstOrDefault(c => c.From < gap.To && c.To > gap.From);
            var line = cut is null
                ? $"edgectl: no stored clip covers {Table.Time(gap.From)} to {Table.Time(gap.To)}, and the device's recent buffer no longer holds it"
                : $"edgectl: no stored clip covers {Table.Time(gap.From)} to {Table.Time(gap.To)}; the device cuts {Table.Time(cut.From)} to {Table.Time(cut.To)} from its recent buffer";
            await error.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (window.Uncovered.Count > window.FromBuffer.Count && window.Holds is { } holds)
        {
            var clips = holds.Clips is { } c ? $"stored clips from {Table.Time(c.From)} to {Table.Time(c.To)}" : "no stored clips";
            var ring = holds.RecentBuffer is { } r ? $", recent buffer from {Table.Time(r.From)} to {Table.Time(r.To)}" : string.Empty;
            await error.WriteLineAsync($"edgectl: the device holds {clips}{ring}").ConfigureAwait(false);
        }
    }

    private static void WriteTable(TextWriter output, bool json, IReadOnlyList<PulledClip> pulled) =>
        Table.Write(
            output,
            json,
            pulled.Select(p => new
            {
                p.Clip.Manifest.ClipId,
                Source = p.FromRecentBuffer ? "recentBuffer" : "stored",
                p.Clip.Manifest.StartWall,
                p.Clip.Manifest.EndWall,
                p.Clip.Manifest.SizeBytes,
                p.Clip.Manifest.Sha256,
                p.Clip.Path,
            }).ToList(),
            ("CLIP", c => c.ClipId),
            ("SOURCE", c => c.Source == "stored" ? "stored" : "recent buffer"),
            ("START", c => Table.Time(c.StartWall)),
            ("SECONDS", c => (c.EndWall - c.StartWall).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
            ("BYTES", c => c.SizeBytes.ToString(CultureInfo.InvariantCulture)),
            ("PATH", c => c.Path));
}
