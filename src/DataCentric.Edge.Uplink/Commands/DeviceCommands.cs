using System.Buffers;
using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;
using MQTTnet.Protocol;
using MQTTnet;

namespace DataCentric.Edge.Uplink.Commands;

/// <summary>
/// Answers engineers' commands (MQTT 5 request/response). Authorisation is the broker's ACL: only
/// the operator identity may publish to a device's request topic (see firmware-config/broker/acl),
/// and the device replies only under its own reply prefix. Every request gets an answer: a result,
/// or an error saying what was wrong (too large, not JSON, unknown command, missing field, rate
/// limited). Nothing here can fail the agent.
/// </summary>
public sealed class DeviceCommands
{
    private const int ScanLimit = 10_000;
    private readonly DeviceConnection _connection;
    private readonly IClipCatalog _catalog;
    private readonly UploadRequests _uploads;
    private readonly CommandOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly CommandRateLimiter _rate;
    private readonly Func<CancellationToken, Task<(bool RolledBack, int ActiveVersion)>>? _rollback;
    private readonly IRecentWindowRecorder? _recentWindows;

    public DeviceCommands(
        DeviceConnection connection,
        IClipCatalog catalog,
        UploadRequests uploads,
        CommandOptions options,
        TimeProvider timeProvider,
        Func<CancellationToken, Task<(bool RolledBack, int ActiveVersion)>>? rollback = null,
        IRecentWindowRecorder? recentWindows = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(uploads);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _connection = connection;
        _catalog = catalog;
        _uploads = uploads;
        _options = options;
        _timeProvider = timeProvider;
        _rollback = rollback;
        _recentWindows = recentWindows;
        _rate = new CommandRateLimiter(options.MaxRequestsPerWindow, options.RateWindow, timeProvider);
        if (options.Enabled)
        {
            connection.Subscribe(connection.Topics.CommandRequests, OnRequestAsync);
        }
    }

    /// <summary>A request that could not even be answered (no or foreign response topic).</summary>
    public event Action<string>? Dropped;

    /// <summary>Every answer given (for logs and tests).</summary>
    public event Action<CommandReply>? Answered;

    /// <summary>Decides the answer to one request payload (also what the MQTT handler uses).</summary>
    public async Task<CommandReply> AnswerAsync(ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        var device = _connection.Topics.Device;
        if (!_rate.TryAcquire())
        {
            return Error(device, "?", $"rate limited: at most {_options.MaxRequestsPerWindow} requests per {_options.RateWindow}");
        }

        if (payload.Length > _options.MaxRequestBytes)
        {
            return Error(device, "?", $"request is {payload.Length} bytes, the limit is {_options.MaxRequestBytes}");
        }

        var (request, parseError) = Parse(payload);
        if (parseError is not null)
        {
            return Error(device, "?", parseError);
        }

        if (request?.Command is not { Length: > 0 } command)
        {
            return Error(device, "?", "request has no 'command'");
        }

        try
        {
            return command switch
            {
                CommandNames.Ping => Ok(device, command, new PingResult(
                    _connection.Topics.Fleet, device, _timeProvider.GetUtcNow(), _connection.TriggerSetVersion ?? 0, _catalog.PendingUploads(ScanLimit).Count)),
                CommandNames.ListEvents => Ok(device, command, ListEvents(request)),
                CommandNames.ListClips => Ok(device, command, ListClips(request)),
                CommandNames.PullClip => Ok(device, command, Pull(Required(request.ClipId, "clipId"))),
                CommandNames.PullWindow => Ok(device, command, PullWindow(request)),
                CommandNames.Pin or CommandNames.Unpin => Ok(device, command, Pin(Required(request.ClipId, "clipId"), command == CommandNames.Pin)),
                CommandNames.RollbackTriggers => Ok(device, command, await RollbackAsync(cancellationToken).ConfigureAwait(false)),
                _ => Error(device, command, $"unknown command '{command}'; known: {string.Join(", ", CommandNames.All)}"),
            };
        }
        catch (CommandException e)
        {
            return Error(device, command, e.Message);
        }
    }

    private static CommandReply Ok<T>(string device, string command, T result) =>
        new(device, command, true, null, JsonSerializer.SerializeToElement(result, UplinkJson.TypeInfo<T>()));

    private static CommandReply Error(string device, string command, string error) => new(device, command, false, error, null);

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new CommandException($"'{name}' is required") : value;

    private async Task OnRequestAsync(MqttApplicationMessage message)
    {
        var responseTopic = message.ResponseTopic;
        var prefix = _connection.Topics.CommandRepliesPrefix;
        if (string.IsNullOrEmpty(responseTopic) || !responseTopic.StartsWith(prefix, StringComparison.Ordinal)
            || responseTopic.AsSpan(prefix.Length).IndexOfAny("/+#") >= 0 || responseTopic.Length == prefix.Length)
        {
            Dropped?.Invoke($"request on {message.Topic} without a response topic under {prefix}: not answered");
            return;
        }

        var reply = await AnswerAsync(message.Payload, CancellationToken.None).ConfigureAwait(false);
        Answered?.Invoke(reply);
        var answer = new MqttApplicationMessageBuilder().WithTopic(responseTopic)
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(reply, UplinkJson.TypeInfo<CommandReply>()))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (message.CorrelationData is { Length: > 0 } correlation)
        {
            answer.WithCorrelationData(correlation);
        }

        try
        {
            await _connection.PublishAsync(answer.Build(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException e)
        {
            Dropped?.Invoke($"reply to {responseTopic} not sent: {e.Message}");
        }
    }

    private static (CommandRequest? Request, string? Error) Parse(ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            return (JsonSerializer.Deserialize(ref reader, UplinkJson.TypeInfo<CommandRequest>()), null);
        }
        catch (JsonException e)
        {
            return (null, $"request is not valid JSON: {e.Message}");
        }
    }

    private async Task<RollbackResult> RollbackAsync(CancellationToken cancellationToken)
    {
        if (_rollback is null)
        {
            throw new CommandException("this device has no remote trigger sets to roll back");
        }

        var (rolledBack, version) = await _rollback(cancellationToken).ConfigureAwait(false);
        return new RollbackResult(rolledBack, version);
    }

    private List<EventSummary> ListEvents(CommandRequest request) =>
        [.. _catalog.FindEvents(request.From ?? DateTimeOffset.MinValue, request.To ?? DateTimeOffset.MaxValue, request.TriggerId, Limit(request))
            .Select(e => new EventSummary(e.EventId, e.TriggerIds, e.WallClock, e.Priority, e.DryRun, e.TriggerSetVersion, e.ClipId))];

    private List<ClipSummary> ListClips(CommandRequest request) =>
        [.. _catalog.FindClips(request.From ?? DateTimeOffset.MinValue, request.To ?? DateTimeOffset.MaxValue, request.TriggerId, Limit(request)).Select(Summary)];

    private int Limit(CommandRequest request) => request.Limit is { } limit ? Math.Clamp(limit, 1, _options.MaxListItems) : _options.MaxListItems;

    private PullResult Pull(string clipId)
    {
        var clip = _catalog.FindClip(clipId) ?? throw new CommandException($"no clip '{clipId}' on this device");
        if (clip.UploadState == UploadState.FileMissing || clip.FileState != ClipFileState.Stored)
        {
            throw new CommandException($"clip '{clipId}' is catalogued but its file is gone");
        }

        // Sent again from where it stands; an acknowledged clip is sent whole for the asker's receiver.
        if (clip.UploadState is UploadState.Acknowledged or UploadState.Sent)
        {
            _catalog.UpdateUpload(clipId, UploadState.Pending, 0);
        }

        _uploads.Request(clipId);
        return new PullResult(clipId, clip.UploadState.ToString(), true, $"{clip.SizeBytes} bytes queued ahead of the upload policy");
    }

    private PullWindowResult PullWindow(CommandRequest request)
    {
        var eventId = Required(request.EventId, "eventId");
        var before = TimeSpan.FromSeconds(request.BeforeSeconds ?? 30);
        var after = TimeSpan.FromSeconds(request.AfterSeconds ?? 10);
        if (before < TimeSpan.Zero || after < TimeSpan.Zero || before + after > TimeSpan.FromHours(1))
        {
            throw new CommandException("beforeSeconds and afterSeconds must be >= 0 and together at most 3600");
        }

        var found = _catalog.RecentEvents(ScanLimit).FirstOrDefault(e => e.EventId == eventId)
            ?? throw new CommandException($"no event '{eventId}' on this device");
        var window = new TimeRange(found.WallClock - before, found.WallClock + after);
        var clips = _catalog.RecentClips(ScanLimit)
            .Where(c => c.UploadState != UploadState.FileMissing && c.FileState == ClipFileState.Stored && c.EndWall >= window.From && c.StartWall <= window.To)
            .OrderBy(c => c.StartWall)
            .ToList();
        foreach (var clip in clips)
        {
            Pull(clip.ClipId);
        }

        var uncovered = Uncovered(window, clips);

        // What no stored clip covers may still be in the recorder's ring: cut it now.
        var fromBuffer = _recentWindows is null
            ? []
            : uncovered.Select(gap => _recentWindows.Request(gap, $"pullWindow around event {eventId}")).OfType<TimeRange>().ToList();
        return new PullWindowResult(eventId, window, [.. clips.Select(c => c.ClipId)], uncovered) { FromBuffer = fromBuffer };
    }

    private PinResult Pin(string clipId, bool pinned)
    {
        _ = _catalog.FindClip(clipId) ?? throw new CommandException($"no clip '{clipId}' on this device");

        // Pinned clips are evicted last.
        _catalog.SetPinned(clipId, pinned);
        return new PinResult(clipId, pinned);
    }

    private static List<TimeRange> Uncovered(TimeRange window, IEnumerable<StoredClip> clips)
    {
        var gaps = new List<TimeRange>();
        var cursor = window.From;
        foreach (var clip in clips)
        {
            if (clip.StartWall > cursor)
            {
                gaps.Add(new TimeRange(cursor, clip.StartWall < window.To ? clip.StartWall : window.To));
            }

            if (clip.EndWall > cursor)
            {
                cursor = clip.EndWall;
            }
        }

        if (cursor < window.To)
        {
            gaps.Add(new TimeRange(cursor, window.To));
        }

        return gaps;
    }

    private static ClipSummary Summary(StoredClip c) =>
        new(c.ClipId, c.FileName, c.SizeBytes, c.Priority, c.TriggerIds, c.StartWall, c.EndWall, c.UploadState.ToString(), c.Pinned);

    private sealed class CommandException(string message) : Exception(message);
}
