using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl events list</c>: a device's trigger events, by trigger and time range; <c>events search</c>: the fleet's, through the fleet API.</summary>
internal static class EventsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var filter = new ListFilter();
        var list = new Command("list", "List a device's trigger events (newest first)");
        broker.AddTo(list);
        filter.AddTo(list);
        list.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var reply = await session.AskAsync(parse.GetValue(filter.Device)!, filter.Request(parse, CommandNames.ListEvents), cancellationToken).ConfigureAwait(false);
            var events = reply.Result!.Value.Deserialize<List<EventSummary>>(UplinkJson.Options)!;
            Table.Write(output, parse.GetValue(filter.Json), events,
                ("EVENT", e => e.EventId), ("TIME", e => Table.Time(e.WallClock)), ("TRIGGERS", e => string.Join(",", e.TriggerIds)),
                ("PRIORITY", e => e.Priority.ToString(CultureInfo.InvariantCulture)), ("SET", e => e.TriggerSetVersion.ToString(CultureInfo.InvariantCulture)),
                ("CLIP", e => e.DryRun ? "(dry run)" : e.ClipId));
            return 0;
        }));
        var events = new Command("events", "Trigger events on devices");
        events.Subcommands.Add(list);
        events.Subcommands.Add(FleetSearchCommands.EventsSearch(output, error));
        return events;
    }
}

/// <summary>The filters events and clips lists share.</summary>
internal sealed class ListFilter
{
    public Option<string> Device { get; } = new("--device") { Description = "Device id", Required = true };

    public Option<string?> Trigger { get; } = new("--trigger") { Description = "Only this trigger id" };

    public Option<DateTimeOffset?> From { get; } = new("--from") { Description = "From this time (ISO 8601)" };

    public Option<DateTimeOffset?> To { get; } = new("--to") { Description = "Up to this time (ISO 8601)" };

    public Option<int?> Limit { get; } = new("--limit") { Description = "At most this many" };

    public Option<bool> Json { get; } = new("--json") { Description = "JSON instead of a table" };

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(Trigger);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Limit);
        command.Options.Add(Json);
    }

    public CommandRequest Request(ParseResult parse, string command) => new(command)
    {
        TriggerId = parse.GetValue(Trigger),
        From = parse.GetValue(From),
        To = parse.GetValue(To),
        Limit = parse.GetValue(Limit),
    };
}
