using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Connection;
using MQTTnet.Protocol;
using MQTTnet;

namespace DataCentric.Edge.Uplink.Commands;

/// <summary>
/// Answers engineers' commands (MQTT 5 request/response). Authorisation is the broker's ACL: only
/// the operator identity may publish to a device's request topic (see firmware-config/broker/acl),
/// and the device replies only under its own reply prefix. Every request gets an answer: a result,
/// or an error saying what was wrong (too large, not JSON, unknown command, missing field, rate
/// limited). Nothing here can fail the agent. The commands themselves are <see cref="IDeviceCommand"/>s,
/// listed in <see cref="DeviceCommandList"/>; this is the part they share.
/// </summary>
public sealed class DeviceCommands
{
    private readonly DeviceConnection _connection;
    private readonly CommandOptions _options;
    private readonly CommandRateLimiter _rate;
    private readonly FrozenDictionary<string, IDeviceCommand> _commands;
    private readonly string _known;

    /// <param name="dependencies">What the commands work on; the connection, options and clock are this part's too.</param>
    /// <param name="commands">The commands answered, each by its name; by default those of <see cref="DeviceCommandList"/>.</param>
    public DeviceCommands(CommandDependencies dependencies, IEnumerable<IDeviceCommand>? commands = null)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        var list = (commands ?? DeviceCommandList.Create(dependencies)).ToList();
        if (list.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"command '{twice.Key}' is registered twice", nameof(commands));
        }

        _connection = dependencies.Connection;
        _options = dependencies.Options;
        _commands = list.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        _known = string.Join(", ", list.Select(c => c.Name));
        _rate = new CommandRateLimiter(_options.MaxRequestsPerWindow, _options.RateWindow, dependencies.TimeProvider);
        if (_options.Enabled)
        {
            _connection.Subscribe(_connection.Topics.CommandRequests, OnRequestAsync);
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

        if (!_commands.TryGetValue(command, out var handler))
        {
            return Error(device, command, $"unknown command '{command}'; known: {_known}");
        }

        try
        {
            return new CommandReply(device, command, true, null, await handler.AnswerAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (CommandRefusedException e)
        {
            return Error(device, command, e.Message);
        }
    }

    private static CommandReply Error(string device, string command, string error) => new(device, command, false, error, null);

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
}
