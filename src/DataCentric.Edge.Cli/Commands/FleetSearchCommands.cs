using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// Fleet-wide queries through dce-fleet's HTTP API: <c>clips search</c>, <c>events search</c>,
/// <c>clips ls --api</c> and <c>clips link</c>. A page at a time; the next page's cursor goes to stderr.
/// </summary>
internal static class FleetSearchCommands
{
    private static readonly FleetApiJsonContext Indented = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public static Command ClipsSearch(TextWriter output, TextWriter error)
    {
        var api = new FleetApiConnection();
        var filter = new SearchFilter(withModel: true);
        var search = new Command("search", "Search the fleet's clips (newest first) through the fleet API");
        api.AddTo(search);
        filter.AddTo(search);
        search.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            using var client = api.Connect(parse);
            await WriteClipsAsync(client, filter.Query(parse), parse.GetValue(filter.Json), output, error, cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return search;
    }

    public static Command EventsSearch(TextWriter output, TextWriter error)
    {
        var api = new FleetApiConnection();
        var filter = new SearchFilter(withModel: false);
        var search = new Command("search", "Search the fleet's trigger events (newest first) through the fleet API");
        api.AddTo(search);
        filter.AddTo(search);
        search.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            using var client = api.Connect(parse);
            var page = await client.GetAsync("api/events", filter.Query(parse), FleetApiJsonContext.Default.ApiPageApiEvent, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(filter.Json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(page, Indented.ApiPageApiEvent)).ConfigureAwait(false);
                return 0;
            }

            Table.Write(output, false, page.Items,
                ("EVENT", e => e.EventId), ("DEVICE", e => $"{e.Fleet}/{e.Device}"), ("TIME", e => Table.Time(e.WallClock)),
                ("TRIGGERS", e => string.Join(",", e.TriggerIds)), ("SET", e => e.TriggerSetVersion.ToString(CultureInfo.InvariantCulture)),
                ("CLIP", e => e.DryRun ? "(dry run)" : e.ClipId));
            await WriteNextAsync(error, page.Next).ConfigureAwait(false);
            return 0;
        }));
        return search;
    }

    public static Command ClipsLink(TextWriter output, TextWriter error)
    {
        var api = new FleetApiConnection();
        var clipId = new Argument<string>("clip") { Description = "Clip id" };
        var json = new Option<bool>("--json") { Description = "JSON instead of text" };
        var link = new Command("link", "Print a signed URL of a clip (works without a token until it expires) and the link that opens it in Foxglove");
        api.AddTo(link);
        link.Arguments.Add(clipId);
        link.Options.Add(json);
        link.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            using var client = api.Connect(parse);
            var id = parse.GetValue(clipId)!;
            var answer = await client.GetAsync($"api/clips/{Uri.EscapeDataString(id)}/link", [], FleetApiJsonContext.Default.ApiClipLink, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(answer, Indented.ApiClipLink)).ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync($"url:      {answer.Url.AbsoluteUri}").ConfigureAwait(false);
            await output.WriteLineAsync($"foxglove: {answer.FoxgloveUrl.AbsoluteUri}").ConfigureAwait(false);
            await output.WriteLineAsync($"expires:  {Table.Time(answer.ExpiresAt)}").ConfigureAwait(false);
            return 0;
        }));
        return link;
    }

    /// <summary>One page of clips from the API as a table or JSON (clips search, clips ls --api).</summary>
    public static async Task WriteClipsAsync(
        FleetApiClient client, IEnumerable<(string, string?)> query, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var page = await client.GetAsync("api/clips", query, FleetApiJsonContext.Default.ApiPageApiClip, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(page, Indented.ApiPageApiClip)).ConfigureAwait(false);
            return;
        }

        Table.Write(output, false, page.Items,
            ("CLIP", c => c.ClipId), ("DEVICE", c => $"{c.Fleet}/{c.Device}"), ("START", c => Table.Time(c.StartWall)),
            ("SECONDS", c => (c.EndWall - c.StartWall).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
            ("BYTES", c => c.SizeBytes.ToString(CultureInfo.InvariantCulture)), ("TRIGGERS", c => string.Join(",", c.TriggerIds)));
        await WriteNextAsync(error, page.Next).ConfigureAwait(false);
    }

    private static async Task WriteNextAsync(TextWriter error, string? next)
    {
        if (next is not null)
        {
            await error.WriteLineAsync($"edgectl: more results: add --after {next}").ConfigureAwait(false);
        }
    }
}

/// <summary>The filters of the fleet-wide searches; times and limits go to the API as typed, so its message names a bad one.</summary>
internal sealed class SearchFilter(bool withModel)
{
    public Option<string?> Fleet { get; } = new("--fleet") { Description = "Only this fleet" };

    public Option<string?> Device { get; } = new("--device") { Description = "Only this device" };

    public Option<string?> Trigger { get; } = new("--trigger") { Description = "Only this trigger id" };

    public Option<string?> Model { get; } = new("--model") { Description = "Only clips of this shadow model (SHA-256)" };

    public Option<string?> From { get; } = new("--from") { Description = "From this time (ISO 8601, e.g. 2026-12-05T10:00:00Z)" };

    public Option<string?> To { get; } = new("--to") { Description = "Up to this time (ISO 8601)" };

    public Option<string?> Limit { get; } = new("--limit") { Description = "At most this many (1-1000, default 100)" };

    public Option<string?> After { get; } = new("--after") { Description = "The next page: the cursor the previous page printed" };

    public Option<bool> Json { get; } = new("--json") { Description = "JSON (the page, with its next cursor) instead of a table" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Fleet, Device, Trigger, From, To, Limit, After, Json })
        {
            command.Options.Add(option);
        }

        if (withModel)
        {
            command.Options.Add(Model);
        }
    }

    public List<(string Name, string? Value)> Query(ParseResult parse) =>
    [
        ("fleet", parse.GetValue(Fleet)), ("device", parse.GetValue(Device)), ("trigger", parse.GetValue(Trigger)),
        ("model", withModel ? parse.GetValue(Model) : null), ("from", parse.GetValue(From)), ("to", parse.GetValue(To)),
        ("limit", parse.GetValue(Limit)), ("after", parse.GetValue(After)),
    ];
}
