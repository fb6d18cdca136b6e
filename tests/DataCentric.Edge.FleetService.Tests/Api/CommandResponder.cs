using System.Collections.Concurrent;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit.Broker;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>
/// A device's side of the command contract (firmware-config/broker/CONTRACT.md), as a plain MQTT 5
/// client with the device's certificate: it subscribes to its request topic and answers each request
/// on the request's response topic with its correlation data. <c>listClips</c> answers the given clips,
/// <c>pullClip</c> answers queued; every request is kept, and each one is signalled.
/// </summary>
internal sealed class CommandResponder : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly IReadOnlyList<ClipSummary> _clips;
    private readonly string _device;

    private CommandResponder(IMqttClient client, string device, IReadOnlyList<ClipSummary> clips)
    {
        _client = client;
        _device = device;
        _clips = clips;
        _client.ApplicationMessageReceivedAsync += AnswerAsync;
    }

    public ConcurrentQueue<CommandRequest> Requests { get; } = new();

    /// <summary>Released once per request answered.</summary>
    public SemaphoreSlim Answered { get; } = new(0);

    public static async Task<CommandResponder> StartAsync(SecureBroker broker, string fleet, string device, IReadOnlyList<ClipSummary> clips, CancellationToken cancellationToken)
    {
        // On the device listener the client id is the certificate's CN: the device id.
        var client = await broker.ConnectAsync(device, device, cancellationToken);
        var responder = new CommandResponder(client, device, clips);
        var subscribed = await client.SubscribeAsync(new FleetTopics(fleet, device).CommandRequests, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        Assert.True(subscribed.Items.Single().ResultCode <= MqttClientSubscribeResultCode.GrantedQoS2, $"the broker refused {device}'s subscription");
        return responder;
    }

    public static ClipSummary Clip(string clipId, DateTimeOffset start, Core.Storage.UploadState state) =>
        new(clipId, $"{clipId}.mcap", 1024, 1, ["hard-brake"], start, start.AddSeconds(30), state, false);

    private async Task AnswerAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var request = UplinkJson.Deserialize<CommandRequest>(message.Payload)!;
        Requests.Enqueue(request);
        JsonElement result = request.Command switch
        {
            CommandNames.ListClips => JsonSerializer.SerializeToElement(_clips.ToList(), UplinkJson.TypeInfo<List<ClipSummary>>()),
            CommandNames.PullClip => JsonSerializer.SerializeToElement(
                new PullResult(request.ClipId!, _clips.Single(c => c.ClipId == request.ClipId).UploadState, true, null), UplinkJson.TypeInfo<PullResult>()),
            _ => default,
        };
        var reply = result.ValueKind == JsonValueKind.Undefined
            ? new CommandReply(_device, request.Command, false, $"unknown command '{request.Command}'", null)
            : new CommandReply(_device, request.Command, true, null, result);
        await _client.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(message.ResponseTopic).WithCorrelationData(message.CorrelationData)
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(reply, UplinkJson.TypeInfo<CommandReply>()))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            CancellationToken.None);
        Answered.Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }

        _client.Dispose();
        Answered.Dispose();
    }
}
