using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Broker;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.FleetService.Tests.Models;

/// <summary>
/// A device's MQTT side of model releases, as the contract has it (the device side is built in
/// parallel): connected as its own identity, it publishes its retained status and retained
/// ModelReleaseAck messages, and hands the tests every release envelope it receives on its own,
/// its fleet's and (optionally) its groups' release topics.
/// </summary>
internal sealed class SimulatedModelDevice : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private SimulatedModelDevice(IMqttClient client, string fleet, string device)
    {
        _client = client;
        Fleet = fleet;
        Device = device;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Payload.Length > 0)
            {
                Releases.Writer.TryWrite((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            }

            return Task.CompletedTask;
        };
    }

    public string Fleet { get; }

    public string Device { get; }

    /// <summary>Every release envelope delivered to the device: topic and bytes.</summary>
    public Channel<(string Topic, byte[] Envelope)> Releases { get; } = Channel.CreateUnbounded<(string, byte[])>();

    public static async Task<SimulatedModelDevice> ConnectAsync(SecureBroker broker, string fleet, string device, CancellationToken cancellationToken)
    {
        var client = await broker.ConnectAsync(device, cancellationToken);
        var simulated = new SimulatedModelDevice(client, fleet, device);
        await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter($"{FleetTopics.Root}/{fleet}/{device}/models/+/release", MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter($"{FleetTopics.Root}/{fleet}/_fleet/models/+/release", MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(),
            cancellationToken);
        return simulated;
    }

    public Task PublishStatusAsync(CancellationToken cancellationToken) =>
        PublishAsync(
            new FleetTopics(Fleet, Device).Status,
            JsonSerializer.SerializeToUtf8Bytes(new DeviceStatus(Fleet, Device, "online", null) { At = DateTimeOffset.UtcNow, TriggerSetVersion = 1 }, UplinkJson.TypeInfo<DeviceStatus>()),
            cancellationToken);

    public Task PublishAckAsync(ModelReleaseAck ack, CancellationToken cancellationToken) =>
        PublishAsync($"{FleetTopics.Root}/{Fleet}/{Device}/models/{ack.Name}/ack", JsonSerializer.SerializeToUtf8Bytes(ack, UplinkJson.TypeInfo<ModelReleaseAck>()), cancellationToken);

    /// <summary>Publishes raw bytes, retained, on the device's ack topic of <paramref name="name"/> (malformed input tests).</summary>
    public Task PublishRawAckAsync(string name, byte[] payload, CancellationToken cancellationToken) =>
        PublishAsync($"{FleetTopics.Root}/{Fleet}/{Device}/models/{name}/ack", payload, cancellationToken);

    /// <summary>The next release delivered, within 10 s.</summary>
    public async Task<(string Topic, byte[] Envelope)> NextReleaseAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        return await Releases.Reader.ReadAsync(deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync(cancellationToken: CancellationToken.None);
        _client.Dispose();
    }

    private async Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var result = await _client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(true).Build(),
            cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"{Device} could not publish {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }
}
