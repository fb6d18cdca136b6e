using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.FleetService.Api;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>The signals a set is checked against, and where they came from.</summary>
internal sealed record KnownSignals(IReadOnlyList<(string Name, SignalKind Kind)> Signals, bool Given, string From);

/// <summary>
/// Where the editor takes a device's signals from: the signals the device announces in its retained status
/// (as <c>edgectl triggers validate --device</c> reads them), or a board's, as <c>edgectl triggers signals
/// --board NAME --json</c> wrote them into <see cref="ConsoleTriggerOptions.BoardSignalsDirectory"/>: that
/// command composes the agent's sources and models (<c>PublishedSignals</c>), which dce-fleet does not carry.
/// </summary>
internal sealed class TriggerSignalSources(DeviceFeed feed, IOptions<ConsoleTriggerOptions> options, ILogger<TriggerSignalSources> logger)
{
    private readonly ConsoleTriggerOptions _options = options.Value;

    public SignalSources List() => new(
        [.. Boards().Keys.Order(StringComparer.Ordinal)],
        [.. feed.AnnouncedSignals().Select(d => new SignalSourceDevice(d.Fleet, d.Device, d.Signals.Count))]);

    /// <exception cref="ApiInputException">Both or neither of a pair given, an unknown board, or a device that announced no signals (the field is named).</exception>
    public KnownSignals Resolve(string? fleet, string? device, string? board)
    {
        if (!string.IsNullOrWhiteSpace(device) && !string.IsNullOrWhiteSpace(board))
        {
            throw new ApiInputException("body fields 'device' and 'board': give one; a set is checked against one device's signals");
        }

        if (!string.IsNullOrWhiteSpace(device))
        {
            if (string.IsNullOrWhiteSpace(fleet))
            {
                throw new ApiInputException("body field 'fleet': required with 'device'");
            }

            var announced = feed.SignalsOf(fleet, device) ?? throw new ApiInputException(
                $"body field 'device': {fleet}/{device} has announced no signals to this service (not connected since it started, or an agent that does not announce them); choose a board");
            return new KnownSignals(Parse(announced, $"device {fleet}/{device}"), true, $"device {fleet}/{device} ({announced.Count} signals it announced)");
        }

        if (!string.IsNullOrWhiteSpace(board))
        {
            var boards = Boards();
            if (!boards.TryGetValue(board, out var path))
            {
                var suggestion = NameSuggester.Suggest(board, boards.Keys);
                throw new ApiInputException(_options.BoardSignalsDirectory is null
                    ? $"body field 'board': no boards are set up here; write each with 'edgectl triggers signals --board NAME --json > DIR/NAME.json' and set {ConsoleTriggerOptions.SectionName}:BoardSignalsDirectory"
                    : $"body field 'board': '{board}' is not a board of {_options.BoardSignalsDirectory}; known: {string.Join(", ", boards.Keys.Order(StringComparer.Ordinal))}{(suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?")}");
            }

            var signals = ReadBoard(path);
            return new KnownSignals(signals, true, $"board {board} ({signals.Count} signals)");
        }

        return new KnownSignals([], false, "no device or board chosen: unknown signals are warnings");
    }

    /// <summary>
    /// What a signed set for a target is checked against on upload: a device target's announced signals (unknown
    /// ones are errors); for a group or the fleet, every signal the fleet's devices announced (unknown ones warnings:
    /// each device checks the set against its own and says so in its ack).
    /// </summary>
    public KnownSignals ForTarget(string fleet, TargetScope scope, string? name)
    {
        if (scope == TargetScope.Device && name is not null && feed.SignalsOf(fleet, name) is { } announced)
        {
            return new KnownSignals(Parse(announced, $"device {fleet}/{name}"), true, $"device {fleet}/{name}");
        }

        var union = feed.AnnouncedSignals().Where(d => d.Fleet == fleet).SelectMany(d => d.Signals).Distinct(StringComparer.Ordinal).ToList();
        return new KnownSignals(Parse(union, $"fleet {fleet}"), false, $"the signals {fleet}'s devices announced");
    }

    private Dictionary<string, string> Boards()
    {
        var boards = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_options.BoardSignalsDirectory is { } dir && Directory.Exists(dir))
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*.json"))
            {
                boards[Path.GetFileNameWithoutExtension(file)] = file;
            }
        }

        return boards;
    }

    private List<(string Name, SignalKind Kind)> ReadBoard(string path)
    {
        try
        {
            var rows = JsonSerializer.Deserialize(File.ReadAllBytes(path), TriggerConsoleJsonContext.Default.BoardSignalArray) ?? [];
            return Parse([.. rows.Select(r => $"{r.Name}:{r.Kind}")], path);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or ApiInputException)
        {
            TriggerConsoleLog.BoardUnreadable(logger, path, e.Message);
            throw new InvalidOperationException($"board signals file {path} cannot be read: {e.Message}; write it again with edgectl triggers signals --board NAME --json", e);
        }
    }

    /// <summary><c>name:kind</c> as devices announce them (DeviceStatus.Signals).</summary>
    private static List<(string Name, SignalKind Kind)> Parse(IReadOnlyList<string> announced, string from) =>
        [.. announced.Select(v =>
        {
            var colon = v.LastIndexOf(':');
            return colon > 0 && Enum.TryParse<SignalKind>(v[(colon + 1)..], ignoreCase: true, out var kind)
                ? (v[..colon], kind)
                : throw new ApiInputException($"{from}: signal '{v}' is not name:kind");
        })];
}
