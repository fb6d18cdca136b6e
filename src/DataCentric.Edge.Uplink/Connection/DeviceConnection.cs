using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Upload;
using MQTTnet.Protocol;
using MQTTnet;

namespace DataCentric.Edge.Uplink.Connection;

/// <summary>
/// The device's one MQTT 5 session: persistent (clean start off, long expiry), 1 MiB socket buffer,
/// retained status with a Last Will saying offline. Uploader, remote config and commands register
/// their subscriptions here; <see cref="EnsureConnectedAsync"/> is driven by the upload worker's
/// own loop (MQTTnet 5 has no managed client, and reconnecting from the disconnected handler can
/// deadlock).
/// </summary>
public sealed class DeviceConnection : IAsyncDisposable
{
    private readonly UplinkOptions _options;
    private readonly BrokerEndpoint _endpoint;
    private readonly IMqttClient _client;
    private readonly List<(string Filter, Func<MqttApplicationMessage, Task> Handler)> _subscriptions = [];
    private string _state = "online";
    private string? _detail;
    private volatile bool _ready;

    public DeviceConnection(UplinkOptions options, BrokerEndpoint endpoint, FleetTopics topics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(topics);
        _options = options;
        _endpoint = endpoint;
        Topics = topics;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Raised after each successful connect with whether the broker still had our session.</summary>
    public event Func<bool, Task>? Connected;

    public FleetTopics Topics { get; }

    /// <summary>The MQTT client id: one per device, so the broker keeps its session across connections.</summary>
    public string ClientId => $"{Topics.Fleet}.{Topics.Device}";

    public UplinkOptions Options => _options;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connected with every subscription taken and the status published: requests now reach the device.</summary>
    public bool IsReady => _ready && _client.IsConnected;

    /// <summary>Announced in the retained status: the active trigger set version.</summary>
    public int? TriggerSetVersion { get; set; }

    /// <summary>Announced in the retained status: the signals this device knows, as name:kind.</summary>
    public IReadOnlyList<string>? Signals { get; set; }

    /// <summary>Announced in the retained status: the groups this device belongs to, so the fleet console can filter by group.</summary>
    public IReadOnlyList<string>? Groups { get; set; }

    /// <summary>Where the health part of the retained status comes from; none, no health in the status.</summary>
    public Func<HealthSummary>? Health { get; set; }

    /// <summary>The broker's maximum packet size from its CONNACK, or null when it set none.</summary>
    public uint? MaximumPacketSize { get; private set; }

    /// <summary>Adds a subscription (taken on every connect) and the handler for messages on it.</summary>
    /// <exception cref="InvalidOperationException">The session is connected: the subscription would not be taken until a reconnect.</exception>
    public void Subscribe(string filter, Func<MqttApplicationMessage, Task> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filter);
        ArgumentNullException.ThrowIfNull(handler);
        if (_client.IsConnected)
        {
            throw new InvalidOperationException($"Subscribe to '{filter}' before the device connects: subscriptions are taken when it connects.");
        }

        lock (_subscriptions)
        {
            _subscriptions.Add((filter, handler));
        }
    }

    /// <summary>
    /// Adds a subscription while the session may be up (a model's chunks, known only at run time):
    /// taken now when connected, and again on every reconnect until <see cref="UnsubscribeAsync"/>.
    /// </summary>
    public async Task SubscribeNowAsync(string filter, Func<MqttApplicationMessage, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filter);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_subscriptions)
        {
            _subscriptions.Add((filter, handler));
        }

        if (_client.IsConnected)
        {
            await _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops a subscription added with <see cref="SubscribeNowAsync"/> (and tells the broker when connected).</summary>
    public async Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filter);
        lock (_subscriptions)
        {
            _subscriptions.RemoveAll(s => s.Filter == filter);
        }

        if (_client.IsConnected)
        {
            await _client.UnsubscribeAsync(filter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Connects if not connected; false when the broker refused the connection.</summary>
    public async Task<bool> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return true;
        }

        var options = MqttClientOptionsFactory.Create(_options, _endpoint, ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)Math.Min(uint.MaxValue, _options.SessionExpiry.TotalSeconds))
            .WithWillTopic(Topics.Status)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillPayload(StatusPayload("offline", null))
            .Build()
            .WithSocketBuffer(_options);
        _ready = false;
        var result = await MqttConnect.WithDeadlineAsync(_client, options, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            return false;
        }

        MaximumPacketSize = result.MaximumPacketSize is > 0 and var max ? max : null;
        List<string> filters;
        lock (_subscriptions)
        {
            filters = [.. _subscriptions.Select(s => s.Filter).Distinct(StringComparer.Ordinal)];
        }

        if (filters.Count > 0)
        {
            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (var filter in filters)
            {
                subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
            }

            await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        }

        await PublishStatusAsync(cancellationToken).ConfigureAwait(false);
        _ready = true;
        if (Connected is { } connected)
        {
            await connected(result.IsSessionPresent).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>A keep-alive round trip: finds a half-open connection sooner than the socket does.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            await _client.PingAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken) =>
        _client.PublishAsync(message, cancellationToken);

    /// <summary>
    /// Publishes JSON at QoS 1; throws <see cref="UploadRejectedException"/> when the broker refuses it.
    /// The result still tells "no matching subscribers" (0x10) from delivered.
    /// </summary>
    public async Task<MqttClientPublishResult> PublishJsonAsync<T>(string topic, T payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic)
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(payload, UplinkJson.TypeInfo<T>()))
            .WithContentType("application/json")
            .WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        PublishResults.EnsureAccepted(result, topic);
        return result;
    }

    /// <summary>Sets the retained status (e.g. "paused" with why); published now if connected, else on connect.</summary>
    public async Task SetStatusAsync(string state, string? detail, CancellationToken cancellationToken)
    {
        _state = state;
        _detail = detail;
        await RefreshStatusAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes the status again (e.g. after the trigger set changed).</summary>
    public async Task RefreshStatusAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            await PublishStatusAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                // A clean disconnect suppresses the Will: say offline ourselves.
                await PublishJsonAsync(Topics.Status, new DeviceStatus(Topics.Fleet, Topics.Device, "offline", null), retain: true, CancellationToken.None).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or UploadRejectedException)
            {
                // Broker already gone; the Will says offline.
            }
        }

        _client.Dispose();
    }

    private Task PublishStatusAsync(CancellationToken cancellationToken) =>
        PublishJsonAsync(
            Topics.Status,
            new DeviceStatus(Topics.Fleet, Topics.Device, _state, _detail) { TriggerSetVersion = TriggerSetVersion, Signals = Signals, Groups = Groups, At = DateTimeOffset.UtcNow, Health = Health?.Invoke() },
            retain: true,
            cancellationToken);

    private byte[] StatusPayload(string state, string? detail) =>
        JsonSerializer.SerializeToUtf8Bytes(new DeviceStatus(Topics.Fleet, Topics.Device, state, detail), UplinkJson.TypeInfo<DeviceStatus>());

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        List<Func<MqttApplicationMessage, Task>> handlers;
        lock (_subscriptions)
        {
            handlers = [.. _subscriptions.Where(s => MqttTopicFilterComparer.Compare(topic, s.Filter) == MqttTopicFilterCompareResult.IsMatch).Select(s => s.Handler)];
        }

        foreach (var handler in handlers)
        {
            await handler(e.ApplicationMessage).ConfigureAwait(false);
        }
    }
}
