using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using MQTTnet.Protocol;
using MQTTnet;

namespace DataCentric.Edge.Fleet.Client;

/// <summary>
/// The fleet tools' MQTT session (edgectl): sends commands as MQTT 5 requests (its own reply topic
/// per device, correlation data per request), reads retained state (status, acks), pushes retained
/// trigger sets and watches topics. Clean session: the tools keep no state on the broker.
/// </summary>
public sealed class FleetClient : IAsyncDisposable
{
    private readonly UplinkOptions _options;
    private readonly BrokerEndpoint _endpoint;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandReply>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<MqttApplicationMessage>> _watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _replyFilters = new(StringComparer.Ordinal);

    public FleetClient(UplinkOptions options, BrokerEndpoint endpoint)
        : this(options, endpoint, $"edgectl-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}")
    {
    }

    /// <summary>A session whose client id (and last reply-topic segment) is <paramref name="requesterId"/>, e.g. a service's configured id.</summary>
    public FleetClient(UplinkOptions options, BrokerEndpoint endpoint, string requesterId)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(requesterId);
        _options = options;
        _endpoint = endpoint;
        RequesterId = requesterId;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>The last topic segment of this session's reply topics.</summary>
    public string RequesterId { get; }

    /// <summary>Whether the session is up (it does not reconnect by itself: a long-lived owner makes a new one).</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects once (no retry), giving up after <see cref="UplinkOptions.ConnectTimeout"/>.</summary>
    /// <exception cref="MQTTnet.Exceptions.MqttCommunicationException">The broker could not be reached in time, or refused the connection.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = MqttClientOptionsFactory.Create(_options, _endpoint, RequesterId).WithCleanStart().Build().WithSocketBuffer(_options);
        var result = await MqttConnect.WithDeadlineAsync(_client, options, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MQTTnet.Exceptions.MqttCommunicationException($"the broker at {_endpoint} refused the connection: {result.ResultCode} {result.ReasonString}");
        }
    }

    /// <summary>Sends one command and waits for the device's answer.</summary>
    /// <exception cref="DeviceNotListeningException">No session is subscribed to the device's requests.</exception>
    /// <exception cref="TimeoutException">No answer in time (device offline, or not allowed to answer).</exception>
    public async Task<CommandReply> SendAsync(string fleet, string device, CommandRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var pending = await SubmitAsync(fleet, device, request, cancellationToken).ConfigureAwait(false);
        return await pending.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes one command and returns once the broker holds it (its PUBACK), before the device
    /// answers: for a device that is offline with a kept session, the request now waits on the broker.
    /// </summary>
    /// <exception cref="DeviceNotListeningException">No session is subscribed to the device's requests.</exception>
    public async Task<PendingCommand> SubmitAsync(string fleet, string device, CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var topics = new FleetTopics(fleet, device);
        var replies = topics.CommandReplies(RequesterId);
        await SubscribeRepliesAsync(replies, cancellationToken).ConfigureAwait(false);

        var correlation = RandomNumberGenerator.GetBytes(16);
        var pending = Track(correlation, $"{fleet}/{device}", request.Command);
        try
        {
            var message = new MqttApplicationMessageBuilder().WithTopic(topics.CommandRequests)
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(request, UplinkJson.TypeInfo<CommandRequest>()))
                .WithContentType("application/json")
                .WithResponseTopic(replies)
                .WithCorrelationData(correlation)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var published = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            PublishResults.EnsureAccepted(published, topics.CommandRequests);
            if (published.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
            {
                // Waiting would only run into the timeout: say so now.
                throw new DeviceNotListeningException(
                    $"{fleet}/{device} is not listening for commands: the broker has no session subscribed to {topics.CommandRequests} (the device never connected, or its session expired)");
            }

            return pending;
        }
        catch
        {
            pending.Dispose();
            throw;
        }
    }

    /// <summary>Sends raw bytes as a request (for tests of the device's handling of bad input).</summary>
    public async Task<CommandReply> SendRawAsync(string fleet, string device, byte[] payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var topics = new FleetTopics(fleet, device);
        var replies = topics.CommandReplies(RequesterId);
        await SubscribeRepliesAsync(replies, cancellationToken).ConfigureAwait(false);

        var correlation = RandomNumberGenerator.GetBytes(16);
        using var pending = Track(correlation, $"{fleet}/{device}", "raw request");
        await _client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topics.CommandRequests).WithPayload(payload).WithResponseTopic(replies)
                .WithCorrelationData(correlation).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken).ConfigureAwait(false);
        return await pending.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Collects the retained messages on <paramref name="filter"/>: the broker sends them right after
    /// the subscription, so reading stops once <paramref name="quiet"/> passes without a new one.
    /// </summary>
    public async Task<IReadOnlyList<(string Topic, byte[] Payload)>> ReadRetainedAsync(string filter, TimeSpan quiet, CancellationToken cancellationToken)
    {
        var found = new ConcurrentQueue<(string, byte[])>();
        var arrived = new SemaphoreSlim(0);
        using (arrived)
        {
            using var watch = await WatchAsync(filter, m =>
            {
                if (m.Retain && m.Payload.Length > 0)
                {
                    found.Enqueue((m.Topic, System.Buffers.BuffersExtensions.ToArray(m.Payload)));
                    arrived.Release();
                }
            }, cancellationToken).ConfigureAwait(false);
            while (await arrived.WaitAsync(quiet, cancellationToken).ConfigureAwait(false))
            {
            }
        }

        return [.. found];
    }

    /// <summary>Calls <paramref name="onMessage"/> for every message on <paramref name="filter"/> until disposed.</summary>
    public async Task<IDisposable> WatchAsync(string filter, Action<MqttApplicationMessage> onMessage, CancellationToken cancellationToken)
    {
        _watchers[filter] = onMessage;
        await SubscribeAsync(filter, cancellationToken).ConfigureAwait(false);
        return new Unwatch(this, filter);
    }

    /// <summary>Publishes a retained message (a trigger set) at QoS 1; throws when the broker refuses it.</summary>
    public async Task PublishRetainedAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag()
                .WithContentType("application/json").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken).ConfigureAwait(false);
        PublishResults.EnsureAccepted(result, topic);
    }

    /// <summary>Publishes a model file's retained chunks under its SHA-256 (<see cref="Uplink.Models.ModelChunkPublisher"/>); returns how many.</summary>
    public Task<int> PublishModelChunksAsync(string fleet, string sha256, string modelFile, CancellationToken cancellationToken) =>
        Uplink.Models.ModelChunkPublisher.PublishAsync(_client, fleet, sha256, modelFile, null, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Broker already gone.
            }
        }

        _client.Dispose();
    }

    /// <summary>Subscribes to a reply topic once, however many requests (from any thread) share it; a failed subscription is tried again by the next request.</summary>
    private async Task SubscribeRepliesAsync(string replies, CancellationToken cancellationToken)
    {
        var subscription = _replyFilters.GetOrAdd(replies, r => new Lazy<Task>(() => SubscribeAsync(r, cancellationToken)));
        try
        {
            await subscription.Value.ConfigureAwait(false);
        }
        catch
        {
            _replyFilters.TryRemove(new KeyValuePair<string, Lazy<Task>>(replies, subscription));
            throw;
        }
    }

    private async Task SubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        var result = await _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        var item = result.Items.Single();
        if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
        {
            throw new InvalidOperationException($"the broker refused a subscription to {filter}: {item.ResultCode}");
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (message.CorrelationData is { Length: > 0 } correlation && _pending.TryRemove(Convert.ToHexString(correlation), out var waiting))
        {
            var reply = UplinkJson.Deserialize<CommandReply>(message.Payload);
            waiting.TrySetResult(reply ?? new CommandReply("?", "?", false, "the device's answer is not valid JSON", null));
            return Task.CompletedTask;
        }

        foreach (var (filter, watcher) in _watchers)
        {
            if (MqttTopicFilterComparer.Compare(message.Topic, filter) == MqttTopicFilterCompareResult.IsMatch)
            {
                watcher(message);
            }
        }

        return Task.CompletedTask;
    }

    internal void Forget(string key) => _pending.TryRemove(key, out _);

    /// <summary>Listens for the answer carrying <paramref name="correlation"/> until the returned command is disposed.</summary>
    private PendingCommand Track(byte[] correlation, string device, string? command)
    {
        var pending = new PendingCommand(this, Convert.ToHexString(correlation), device, command);
        _pending[pending.Key] = pending.Answer;
        return pending;
    }

    private sealed class Unwatch(FleetClient client, string filter) : IDisposable
    {
        public void Dispose() => client._watchers.TryRemove(filter, out _);
    }
}
